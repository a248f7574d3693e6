package io.github.jettyuwsgi.config;

import java.util.function.Function;

/**
 * One substitution pass of uWSGI over an option value ({@code uwsgi_apply_config_pass}): {@code $(NAME)},
 * {@code @(file)} or {@code %(placeholder)}, depending on the symbol. The scanner is ported as it is, quirks
 * included, because configs in the wild depend on them:
 * <ul>
 * <li>nested parentheses belong to the key; a symbol inside a key restarts the scan, so the innermost
 * {@code $(...)} is replaced first;</li>
 * <li>a key the hook cannot resolve is left as written ({@code $(UNSET)} stays);</li>
 * <li>after a replacement the scan restarts at index 1, not 0, so a replacement that itself starts with
 * {@code %(} is not expanded again, while one preceded by other text is ({@code %(a)} with {@code a = %(b)} gives
 * {@code %(b)}; {@code x%(a)} gives {@code x} and the value of {@code b}).</li>
 * </ul>
 */
final class ConfigPass
{
    /**
     * What the expansions of one configuration have copied so far, shared by all its values and passes.
     */
    static final class Budget
    {
        private final ConfigLimits limits;
        private long copied;

        Budget(ConfigLimits limits)
        {
            this.limits = limits;
        }
    }

    private ConfigPass()
    {
    }

    /**
     * @param hook resolves a key, or returns null to leave it as written
     * @param budget what this configuration's expansions have copied so far; this one adds to it
     * @throws ConfigException when the value keeps growing (a placeholder that refers to itself), or the configuration's
     * expansions copy more than the budget's {@link ConfigLimits#maxCopied()} characters in all; uWSGI would loop
     * forever on {@code a = x%(a)}, and each replacement copies the whole value, so without the bound a value that
     * refers to itself costs quadratic time, one that refers to a long value exponential memory
     */
    static String apply(String value, char symbol, Function<String, String> hook, Origin origin, Budget budget)
    {
        int hasSymbol = 0;
        int depth = 0;
        int keyStart = -1;
        int replacements = 0;
        ConfigLimits limits = budget.limits;
        for (int j = 0; j < value.length(); j++)
        {
            char c = value.charAt(j);
            if (c == symbol)
            {
                hasSymbol = 1;
            }
            else if (c == '(' && hasSymbol == 1)
            {
                hasSymbol = 2;
                depth = 0;
                keyStart = j + 1;
            }
            else if (hasSymbol > 1)
            {
                if (c == '(')
                {
                    hasSymbol++;
                    depth++;
                }
                else if (c == ')')
                {
                    if (depth > 0)
                    {
                        hasSymbol++;
                        depth--;
                        continue;
                    }
                    if (hasSymbol <= 2)
                    {
                        keyStart = -1;
                        hasSymbol = 0;
                        continue;
                    }
                    int keyEnd = keyStart + hasSymbol - 2;
                    String replacement = hook.apply(value.substring(keyStart, keyEnd));
                    if (replacement != null)
                    {
                        if (++replacements > limits.maxReplacements())
                            throw ConfigException.at(origin, "more than " + limits.maxReplacements() + " " + symbol +
                                "(...) replacements in one value: a placeholder refers to itself?");
                        value = value.substring(0, keyStart - 2) + replacement + value.substring(keyEnd + 1);
                        budget.copied += value.length();
                        if (value.length() > limits.maxValueLength() || budget.copied > limits.maxCopied())
                            throw ConfigException.at(origin, symbol + "(...) expansion: " + value.length() + " characters after " + replacements +
                                " replacements, " + budget.copied + " copied by this configuration's expansions (expected: at most " + limits.maxValueLength() +
                                " and " + limits.maxCopied() + "; a placeholder that refers to itself or multiplies?)");
                        // uWSGI sets j = 0 and its loop then increments it: the scan resumes at index 1
                        j = 0;
                    }
                    keyStart = -1;
                    hasSymbol = 0;
                }
                else
                {
                    hasSymbol++;
                }
            }
            else
            {
                hasSymbol = 0;
            }
        }
        return value;
    }
}
