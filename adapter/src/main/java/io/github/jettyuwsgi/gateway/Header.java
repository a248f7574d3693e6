package io.github.jettyuwsgi.gateway;

/**
 * <p>One response header, the {@code (name, value)} tuple of PEP 3333's {@code response_headers}. It is a plain
 * value: {@link StartResponse} implementations check it (token name, no control characters, latin-1 only, no
 * hop-by-hop name) when the application calls them, so the application sees the error at once.</p>
 *
 * @param name the field name, case-insensitive, without a colon
 * @param value the field value, latin-1 characters only, no CR or LF
 */
public record Header(String name, String value)
{
    /**
     * @param name a header name
     * @return whether this header has that name, ignoring case
     */
    public boolean is(String name)
    {
        return this.name != null && this.name.equalsIgnoreCase(name);
    }
}
