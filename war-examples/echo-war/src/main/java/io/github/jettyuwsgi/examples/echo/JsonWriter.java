package io.github.jettyuwsgi.examples.echo;

/**
 * <p>A minimal streaming JSON builder used by {@link RequestDump} to render what the servlet observed; it knows just
 * enough of RFC 8259 for that job (objects, arrays, strings, integers, booleans and {@code null}) and keeps the
 * example WAR free of any library.</p>
 * <p>Calls must be well nested; the writer inserts the commas but does not check the nesting, because its only
 * callers are a few lines of straight-line code.</p>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8259">RFC 8259</a>
 */
public final class JsonWriter
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder json = new StringBuilder();
    /**
     * Whether the next name or value follows a sibling in the same object or array and so needs a comma first.
     * After an opening bracket or a name it is false; after any complete value it is true.
     */
    private boolean afterValue;

    public JsonWriter beginObject()
    {
        separate();
        json.append('{');
        afterValue = false;
        return this;
    }

    public JsonWriter endObject()
    {
        json.append('}');
        afterValue = true;
        return this;
    }

    public JsonWriter beginArray()
    {
        separate();
        json.append('[');
        afterValue = false;
        return this;
    }

    public JsonWriter endArray()
    {
        json.append(']');
        afterValue = true;
        return this;
    }

    /**
     * Writes the name of the next member of the current object; the member's value must follow.
     */
    public JsonWriter name(String name)
    {
        separate();
        string(name);
        json.append(':');
        afterValue = false;
        return this;
    }

    /**
     * Writes a string, or {@code null} when {@code value} is null.
     */
    public JsonWriter value(String value)
    {
        separate();
        if (value == null)
            json.append("null");
        else
            string(value);
        afterValue = true;
        return this;
    }

    public JsonWriter value(long value)
    {
        separate();
        json.append(value);
        afterValue = true;
        return this;
    }

    public JsonWriter value(boolean value)
    {
        separate();
        json.append(value);
        afterValue = true;
        return this;
    }

    public JsonWriter nullValue()
    {
        return value((String)null);
    }

    @Override
    public String toString()
    {
        return json.toString();
    }

    private void separate()
    {
        if (afterValue)
            json.append(',');
    }

    private void string(String value)
    {
        json.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            char c = value.charAt(i);
            switch (c)
            {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default ->
                {
                    if (c < 0x20)
                        json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    else
                        json.append(c);
                }
            }
        }
        json.append('"');
    }
}
