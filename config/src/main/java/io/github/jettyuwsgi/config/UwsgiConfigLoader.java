package io.github.jettyuwsgi.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a configuration from a uWSGI-style command line, in uWSGI 2.0.21's order: {@code UWSGI_<OPTION>}
 * environment variables, then the command-line options in order ({@code --ini} and {@code --json} files are read
 * where they appear), then bare file arguments, then the {@code $(ENV)}, {@code @(file)} and {@code %(placeholder)}
 * passes, then {@code inherit}. This is loading and expansion only: what each option means is the launcher's job.
 *
 * <pre>{@code
 * UwsgiConfig config = new UwsgiConfigLoader(HostFacts.current()).load(args);
 * config.warnings().forEach(LOG::warn);
 * int threads = Integer.parseInt(config.get("threads").orElse("1"));
 * }</pre>
 */
public final class UwsgiConfigLoader
{
    /** Variables uWSGI itself sets for its children; they are not options. */
    private static final Set<String> INTERNAL_VARIABLES = Set.of("UWSGI_RELOADS", "UWSGI_VASSALS_DIR",
        "UWSGI_EMPEROR_FD", "UWSGI_BROODLORD_NUM", "UWSGI_EMPEROR_FD_CONFIG", "UWSGI_EMPEROR_PROXY", "UWSGI_JAIL_PID",
        "UWSGI_ORIGINAL_PROC_NAME");

    /** uWSGI's one-letter options, each the first option in its table with that shortcut. */
    private static final Map<Character, String> SHORT_OPTIONS = Map.ofEntries(
        Map.entry('s', "socket"), Map.entry('p', "processes"), Map.entry('t', "harakiri"), Map.entry('x', "xmlconfig"),
        Map.entry('S', "set"), Map.entry('d', "daemonize"), Map.entry('l', "listen"), Map.entry('v', "max-vars"),
        Map.entry('b', "buffer-size"), Map.entry('m', "memory-report"), Map.entry('c', "cgi-mode"),
        Map.entry('a', "abstract-socket"), Map.entry('C', "chmod-socket"), Map.entry('T', "enable-threads"),
        Map.entry('i', "single-interpreter"), Map.entry('M', "master"), Map.entry('h', "help"), Map.entry('r', "reaper"),
        Map.entry('R', "max-requests"), Map.entry('z', "socket-timeout"), Map.entry('A', "sharedarea"),
        Map.entry('Q', "spooler"), Map.entry('L', "disable-logging"), Map.entry('y', "yaml"), Map.entry('j', "json"));

    private final HostFacts facts;
    private final UwsgiOptions options;
    private final ConfigLimits limits;

    public UwsgiConfigLoader(HostFacts facts)
    {
        this(facts, UwsgiOptions.defaults());
    }

    public UwsgiConfigLoader(HostFacts facts, UwsgiOptions options)
    {
        this(facts, options, ConfigLimits.DEFAULTS);
    }

    UwsgiConfigLoader(HostFacts facts, UwsgiOptions options, ConfigLimits limits)
    {
        this.facts = facts;
        this.options = options;
        this.limits = limits;
    }

    /**
     * @param args the command line after the program name, as {@code uwsgi} takes it
     * @throws ConfigException with the source and line of the first error
     */
    public UwsgiConfig load(String... args)
    {
        return load(List.of(args));
    }

    public UwsgiConfig load(List<String> args)
    {
        ConfigAssembler assembler = new ConfigAssembler(facts, options, limits);
        addEnvironmentOptions(assembler);
        List<String> files = addCommandLineOptions(assembler, args);
        for (String file : files)
        {
            // uWSGI skips arguments starting with '[' here
            if (!file.startsWith("["))
                assembler.loadTemplate(file, Origin.commandLine(file));
        }
        assembler.expand();
        assembler.configure();
        return result(assembler);
    }

    private void addEnvironmentOptions(ConfigAssembler assembler)
    {
        // uWSGI walks environ in its order: HostFacts keeps it (HostFacts.current() reads it from /proc/self/environ)
        for (Map.Entry<String, String> variable : facts.environment().entrySet())
        {
            String name = variable.getKey();
            if (!name.startsWith("UWSGI_") || INTERNAL_VARIABLES.contains(name))
                continue;
            String key = name.substring("UWSGI_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            assembler.add(key, variable.getValue(), Origin.environment(name));
        }
    }

    /**
     * getopt_long as uWSGI uses it: options are applied in order, the other arguments are returned to be loaded
     * after all options (getopt permutes them to the end); {@code --} ends the options.
     */
    private List<String> addCommandLineOptions(ConfigAssembler assembler, List<String> args)
    {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++)
        {
            String arg = args.get(i);
            if (arg.equals("--"))
            {
                rest.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.startsWith("--"))
            {
                int equals = arg.indexOf('=');
                String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
                String inline = equals < 0 ? null : arg.substring(equals + 1);
                UwsgiOptions.Argument kind = assembler.argument(name).orElseThrow(() -> unrecognized(arg, name));
                String value;
                switch (kind)
                {
                    case NO ->
                    {
                        if (inline != null)
                            throw new ConfigException("command line " + arg + ": option --" + name + " takes no value (expected: --" + name + ")");
                        value = null;
                    }
                    case OPTIONAL -> value = inline;
                    default ->
                    {
                        if (inline != null)
                            value = inline;
                        else if (i + 1 < args.size())
                            value = args.get(++i);
                        else
                            throw new ConfigException("command line " + arg + ": option --" + name + " requires a value (expected: --" + name + " VALUE)");
                    }
                }
                assembler.add(name, value, Origin.commandLine("--" + name));
            }
            else if (arg.startsWith("-") && arg.length() > 1)
            {
                i = addShortOptions(assembler, args, i);
            }
            else
            {
                rest.add(arg);
            }
        }
        return rest;
    }

    private static int addShortOptions(ConfigAssembler assembler, List<String> args, int index)
    {
        String arg = args.get(index);
        for (int j = 1; j < arg.length(); j++)
        {
            char letter = arg.charAt(j);
            String name = SHORT_OPTIONS.get(letter);
            if (name == null)
                throw new ConfigException("command line " + arg + ": unknown option -" + letter);
            UwsgiOptions.Argument kind = assembler.argument(name).orElse(UwsgiOptions.Argument.REQUIRED);
            if (kind == UwsgiOptions.Argument.NO)
            {
                assembler.add(name, null, Origin.commandLine("-" + letter));
                continue;
            }
            String value;
            if (j + 1 < arg.length())
                value = arg.substring(j + 1);
            else if (kind == UwsgiOptions.Argument.OPTIONAL)
                value = null;
            else if (index + 1 < args.size())
                value = args.get(++index);
            else
                throw new ConfigException("command line " + arg + ": option -" + letter + " requires a value");
            assembler.add(name, value, Origin.commandLine("-" + letter));
            break;
        }
        return index;
    }

    private ConfigException unrecognized(String arg, String name)
    {
        // this loader's table, so that a launcher's own keys (--realm) are suggested too
        String suggestion = options.suggest(name).map(s -> " (did you mean --" + s + "?)").orElse("");
        return new ConfigException("command line " + arg + ": unrecognized option --" + name + suggestion);
    }

    private UwsgiConfig result(ConfigAssembler assembler)
    {
        List<ConfigEntry> entries = new ArrayList<>();
        Map<String, UnknownOption> unknown = new LinkedHashMap<>();
        for (ConfigAssembler.Entry entry : assembler.entries())
        {
            entries.add(new ConfigEntry(entry.key, entry.value, entry.origin, entry.placeholderOnly, entry.derived));
            if (entry.derived || entry.placeholderOnly || assembler.isOption(entry.key) || isLogicEnd(entry.key))
                continue;
            // once per key: a loop may add the same unknown key thousands of times, and a suggestion compares it with every option
            unknown.computeIfAbsent(entry.key, key -> new UnknownOption(key, entry.origin, assembler.isReferenced(key), options.suggest(key)));
        }
        List<String> warnings = new ArrayList<>(assembler.warnings());
        unknown.values().stream().filter(u -> !u.usedAsPlaceholder()).map(UnknownOption::message).forEach(warnings::add);
        return new UwsgiConfig(entries, new ArrayList<>(unknown.values()), warnings);
    }

    private static boolean isLogicEnd(String key)
    {
        return key.equals("end");
    }
}
