package io.github.jettyuwsgi.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The options a configuration declares with {@code declare-option} (uWSGI's {@code uwsgi_opt_custom}), for
 * {@link ConfigAssembler}: each name has a template of {@code key=value} parts separated by {@code ;}, in which
 * {@code $1}, {@code $2}, ... stand for the space-separated words of the value the option is given. Expanding an option
 * hands each resulting {@code key=value} back to the assembler, which applies it and may expand another declared
 * option from it; one that leads back to an option being expanded is a configuration error, where uWSGI recurses
 * until its stack overflows.
 */
final class DeclaredOptions
{
    private final Map<String, String> templates = new LinkedHashMap<>();
    /** The names being expanded, outermost first. */
    private final Deque<String> expanding = new ArrayDeque<>();

    /**
     * @param name the new option's name (not a uWSGI option: the caller keeps the built-in one)
     * @param template its {@code key=value;key=value} template
     */
    void declare(String name, String template)
    {
        templates.put(name, template);
    }

    boolean declares(String key)
    {
        return templates.containsKey(key);
    }

    /**
     * @return how a declared option takes its argument on the command line: one with {@code $1}..{@code $3} in its
     * template needs one, others none; empty if {@code key} is not declared
     */
    Optional<UwsgiOptions.Argument> argument(String key)
    {
        String template = templates.get(key);
        if (template == null)
            return Optional.empty();
        boolean hasArguments = template.contains("$1") || template.contains("$2") || template.contains("$3");
        return Optional.of(hasArguments ? UwsgiOptions.Argument.REQUIRED : UwsgiOptions.Argument.NO);
    }

    /**
     * @param key a declared option
     * @param value the value it was given
     * @param origin where
     * @param each receives every {@code key, value} the template makes, in order, until the first part without {@code =}
     * @throws ConfigException if {@code key} is already being expanded
     */
    void expand(String key, String value, Origin origin, BiConsumer<String, String> each)
    {
        if (expanding.contains(key))
            throw ConfigException.at(origin, key + ": declare-option expands into itself: " + String.join(" -> ", expanding) + " -> " + key +
                " (expected: options that end in uWSGI's own)");
        expanding.addLast(key);
        try
        {
            String[] words = words(value);
            for (String part : templates.get(key).split(";"))
            {
                if (part.isEmpty())
                    continue;
                int equals = part.indexOf('=');
                if (equals < 0)
                    break;
                String newKey = part.substring(0, equals);
                String newValue = part.substring(equals + 1);
                for (int i = 0; i < words.length; i++)
                {
                    if (words[i] == null)
                        continue;
                    newKey = newKey.replace("$" + (i + 1), words[i]);
                    newValue = newValue.replace("$" + (i + 1), words[i]);
                }
                each.accept(newKey, newValue);
            }
        }
        finally
        {
            expanding.removeLast();
        }
    }

    /**
     * The value's words as uWSGI numbers them: split at each space, so two spaces leave a number without a word (its
     * {@code $N} stays as written).
     */
    private static String[] words(String value)
    {
        if (value == null || value.isEmpty())
            return new String[]{""};
        int count = 1;
        for (int i = 0; i < value.length(); i++)
        {
            if (value.charAt(i) == ' ')
                count++;
        }
        String[] words = new String[count];
        int pos = 0;
        for (String word : value.split(" "))
        {
            if (!word.isEmpty())
                words[pos++] = word;
        }
        return words;
    }
}
