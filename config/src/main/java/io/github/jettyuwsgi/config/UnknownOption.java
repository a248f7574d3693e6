package io.github.jettyuwsgi.config;

import java.util.Optional;

/**
 * A key that is not a uWSGI option, so uWSGI turns it into a placeholder. It is harmless when some {@code %(key)}
 * uses it; otherwise it is most likely a typo ({@code thread = 4}), which uWSGI silently ignores and we report.
 *
 * @param key the key as written
 * @param origin where it first appeared
 * @param usedAsPlaceholder whether any {@code %(...)}, placeholder math or {@code if-opt} referred to it
 * @param suggestion the closest known option name, if one is close enough to be a likely typo
 */
public record UnknownOption(String key, Origin origin, boolean usedAsPlaceholder, Optional<String> suggestion)
{
    /**
     * @return the warning for an unused unknown key, e.g. {@code x.ini:3: unknown option "thread" is never used as a
     * placeholder; did you mean "threads"?}
     */
    public String message()
    {
        String base = origin + ": unknown option \"" + key + "\" is never used as a placeholder";
        return suggestion.map(s -> base + "; did you mean \"" + s + "\"?").orElse(base + " (uWSGI ignores it)");
    }
}
