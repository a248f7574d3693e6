package io.github.jettyuwsgi.config;

/**
 * One {@code key = value} of the loaded configuration, in the order uWSGI itself would hold it (its
 * "exported options"), after magic variables, {@code $(ENV)}, {@code @(file)} and {@code %(placeholder)} expansion.
 *
 * @param key the option or placeholder name
 * @param value the value; {@code null} for a command-line flag given without one ({@code --master}), which uWSGI
 * shows as {@code true}
 * @param origin where the line came from
 * @param placeholderOnly set by {@code set-ph}/{@code set-placeholder}: a placeholder, never an option
 * @param derived produced by a {@code declare-option} custom option: applied like an option, but (as in uWSGI) not
 * shown by {@code --show-config} and not visible to {@code %(...)}
 */
public record ConfigEntry(String key, String value, Origin origin, boolean placeholderOnly, boolean derived)
{
    /**
     * @return the value as uWSGI prints it in {@code --show-config}: a flag without a value is {@code true}
     */
    public String displayValue()
    {
        return value == null ? "true" : value;
    }
}
