package io.github.jettyuwsgi.config;

import java.util.List;
import java.util.Optional;

/**
 * The result of loading: the ordered multimap of options exactly as uWSGI 2.0.21 would hold it, the unknown keys,
 * and the warnings. Reading values follows uWSGI's own rules: a single-valued option applied once per occurrence
 * ends with the last one ({@link #get}), a repeatable one collects them all ({@link #getAll}), while a
 * {@code %(name)} reference sees the first ({@link #placeholder}).
 */
public final class UwsgiConfig
{
    private final List<ConfigEntry> entries;
    private final List<UnknownOption> unknownOptions;
    private final List<String> warnings;

    UwsgiConfig(List<ConfigEntry> entries, List<UnknownOption> unknownOptions, List<String> warnings)
    {
        this.entries = List.copyOf(entries);
        this.unknownOptions = List.copyOf(unknownOptions);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * @return every entry in order, including {@code derived} ones from custom options
     */
    public List<ConfigEntry> entries()
    {
        return entries;
    }

    /**
     * @return all values of {@code key} in order (a flag without value is {@code true}): for repeatable options
     * such as {@code socket} or {@code env}
     */
    public List<String> getAll(String key)
    {
        return entries.stream().filter(e -> e.key().equals(key)).map(ConfigEntry::displayValue).toList();
    }

    /**
     * @return the last value of {@code key}: for single-valued options, where the later setting wins
     */
    public Optional<String> get(String key)
    {
        List<String> all = getAll(key);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * @return the entry that gives {@link #get} its value, for error messages that point at the line
     */
    public Optional<ConfigEntry> lastEntry(String key)
    {
        ConfigEntry last = null;
        for (ConfigEntry entry : entries)
        {
            if (entry.key().equals(key))
                last = entry;
        }
        return Optional.ofNullable(last);
    }

    /**
     * @return the value {@code %(key)} resolves to: the first non-derived entry's
     */
    public Optional<String> placeholder(String key)
    {
        return entries.stream().filter(e -> !e.derived() && e.key().equals(key)).findFirst().map(ConfigEntry::value);
    }

    /**
     * @return whether the boolean option {@code key} is on, as uWSGI reads it: present, and its last value is not
     * {@code false}, {@code off}, {@code no} or {@code 0} (an empty value is true)
     */
    public boolean isTrue(String key)
    {
        return lastEntry(key).map(e -> ConfigAssembler.isTrue(e.value())).orElse(false);
    }

    /**
     * @return the keys that are neither uWSGI options nor launcher options, each once, in order of appearance
     */
    public List<UnknownOption> unknownOptions()
    {
        return unknownOptions;
    }

    /**
     * @return load-time warnings: missing sections, ignored load-time options, and each unknown key that no
     * placeholder uses (with a "did you mean" suggestion)
     */
    public List<String> warnings()
    {
        return warnings;
    }

    /**
     * @return the configuration in the format of {@code uwsgi --show-config}, byte for byte: a blank line,
     * {@code ;uWSGI instance configuration}, {@code [uwsgi]}, one {@code key = value} per entry ({@code true} for a
     * flag without value), {@code ;end of configuration} and a blank line. Derived entries are not shown, as in
     * uWSGI.
     */
    public String showConfig()
    {
        StringBuilder out = new StringBuilder("\n;uWSGI instance configuration\n[uwsgi]\n");
        for (ConfigEntry entry : entries)
        {
            if (!entry.derived())
                out.append(entry.key()).append(" = ").append(entry.displayValue()).append('\n');
        }
        return out.append(";end of configuration\n\n").toString();
    }
}
