package io.github.jettyuwsgi.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the ordered option list the way uWSGI 2.0.21 does ({@code add_exported_option} and friends in
 * {@code core/config.c}, {@code core/uwsgi.c}): every key goes through the open logic block, options that uWSGI
 * applies while reading ({@code ini}, {@code set-ph}, {@code for}, ...) act at once and are never expanded, the
 * rest wait for the {@code $()}, {@code @()} and {@code %()} passes. One instance serves one load.
 */
final class ConfigAssembler
{
    /** Any of these ends any logic block. */
    private static final Set<String> END_KEYS = Set.of("end", "endfor", "endif", "end-if", "end-for");

    /** Immediate options with load-time side effects this library does not perform. */
    private static final Set<String> IGNORED_AT_LOAD = Set.of("inject-before", "inject-after", "resolve",
        "blacklist", "end-blacklist", "whitelist", "end-whitelist", "exit", "fallback-config", "early-envdir",
        "connect-and-read", "reload", "stop", "signal", "pause", "suspend", "resume", "flock", "flock2",
        "flock-wait", "flock-wait2", "dlopen", "extract", "build-plugin", "binary-append-data", "print-sym",
        "print-symbol", "iprint", "usage", "help");

    private enum Logic
    {
        FOR, FOR_TIMES, FOR_READLINE,
        IF_ENV, IF_NOT_ENV, IF_EXISTS, IF_NOT_EXISTS, IF_FILE, IF_NOT_FILE, IF_DIR, IF_NOT_DIR, IF_OPT, IF_NOT_OPT,
        IF_RELOAD, IF_NOT_RELOAD, IF_HOSTNAME, IF_NOT_HOSTNAME, IF_HOSTNAME_MATCH, IF_NOT_HOSTNAME_MATCH,
        IF_PLUGIN, IF_NOT_PLUGIN
    }

    private static final Map<String, Logic> LOGIC = Map.ofEntries(
        Map.entry("for", Logic.FOR), Map.entry("for-times", Logic.FOR_TIMES),
        Map.entry("for-readline", Logic.FOR_READLINE),
        Map.entry("if-env", Logic.IF_ENV), Map.entry("ifenv", Logic.IF_ENV), Map.entry("if-not-env", Logic.IF_NOT_ENV),
        Map.entry("if-exists", Logic.IF_EXISTS), Map.entry("ifexists", Logic.IF_EXISTS),
        Map.entry("if-not-exists", Logic.IF_NOT_EXISTS),
        Map.entry("if-file", Logic.IF_FILE), Map.entry("if-not-file", Logic.IF_NOT_FILE),
        Map.entry("if-dir", Logic.IF_DIR), Map.entry("ifdir", Logic.IF_DIR), Map.entry("if-directory", Logic.IF_DIR),
        Map.entry("if-not-dir", Logic.IF_NOT_DIR),
        Map.entry("if-opt", Logic.IF_OPT), Map.entry("if-not-opt", Logic.IF_NOT_OPT),
        Map.entry("if-reload", Logic.IF_RELOAD), Map.entry("if-not-reload", Logic.IF_NOT_RELOAD),
        Map.entry("if-hostname", Logic.IF_HOSTNAME), Map.entry("if-not-hostname", Logic.IF_NOT_HOSTNAME),
        Map.entry("if-hostname-match", Logic.IF_HOSTNAME_MATCH),
        Map.entry("if-not-hostname-match", Logic.IF_NOT_HOSTNAME_MATCH),
        Map.entry("if-plugin", Logic.IF_PLUGIN), Map.entry("ifplugin", Logic.IF_PLUGIN),
        Map.entry("if-not-plugin", Logic.IF_NOT_PLUGIN));

    static final class Entry
    {
        final String key;
        String value;
        final Origin origin;
        final boolean placeholderOnly;
        final boolean derived;
        boolean configured;

        Entry(String key, String value, Origin origin, boolean placeholderOnly, boolean derived)
        {
            this.key = key;
            this.value = value;
            this.origin = origin;
            this.placeholderOnly = placeholderOnly;
            this.derived = derived;
        }
    }

    private final HostFacts facts;
    private final UwsgiOptions options;
    private final ConfigLimits limits;
    private final ConfigFiles files;
    private final MagicTable magic;
    private final List<Entry> entries = new ArrayList<>();
    /** Each key's first entry that is not derived: a placeholder's value, found without a walk over every entry. */
    private final Map<String, Entry> firstEntries = new HashMap<>();
    private final DeclaredOptions declared = new DeclaredOptions();
    private final Set<String> referenced = new HashSet<>();
    private final List<String> warnings = new ArrayList<>();
    private boolean strict;
    private Logic logic;
    private String logicArgument;
    private boolean logicRunning;
    private String lastIniFile;
    private int includeDepth;
    /** above zero while include/inherit or a bare file argument loads: those never set %O and friends */
    private int templateDepth;

    ConfigAssembler(HostFacts facts, UwsgiOptions options, ConfigLimits limits)
    {
        this.facts = facts;
        this.options = options;
        this.limits = limits;
        this.files = new ConfigFiles(facts.workingDirectory(), limits);
        this.magic = new MagicTable(facts);
    }

    List<Entry> entries()
    {
        return entries;
    }

    List<String> warnings()
    {
        return warnings;
    }

    boolean isReferenced(String key)
    {
        return referenced.contains(key);
    }

    boolean isOption(String key)
    {
        return options.isKnown(key) || declared.declares(key);
    }

    /**
     * @return how {@code key} takes its argument on the command line, also for options declared so far
     */
    Optional<UwsgiOptions.Argument> argument(String key)
    {
        Optional<UwsgiOptions.Argument> known = options.argument(key);
        return known.isPresent() ? known : declared.argument(key);
    }

    void add(String key, String value, Origin origin)
    {
        add(key, value, origin, false);
    }

    private void add(String key, String value, Origin origin, boolean placeholderOnly)
    {
        if (!logicRunning)
        {
            if (END_KEYS.contains(key))
            {
                logic = null;
                logicArgument = null;
            }
            if (logic != null)
            {
                logicRunning = true;
                try
                {
                    runLogic(key, value, origin);
                }
                finally
                {
                    logicRunning = false;
                }
                return;
            }
        }

        checkEntryLimit(origin);
        Entry entry = new Entry(key, value, origin, placeholderOnly, false);
        entries.add(entry);
        firstEntries.putIfAbsent(key, entry);
        if (placeholderOnly)
        {
            if (isOption(key))
                throw ConfigException.at(origin, "\"" + key + "\" cannot be a placeholder: it is an option (expected: a name that is not an option)");
            entry.configured = true;
            return;
        }
        if (!isOption(key))
        {
            if (strict)
                throw strictError(entry);
            return;
        }
        if (options.isImmediate(key) || declared.declares(key))
        {
            entry.configured = true;
            immediate(key, value, origin);
        }
    }

    private void checkEntryLimit(Origin origin)
    {
        if (entries.size() >= limits.maxEntries())
            throw ConfigException.at(origin, "more than " + limits.maxEntries() + " options (expected: at most " + limits.maxEntries() +
                "; a for-times or for-readline loop too long, or a declare-option expanding into many?)");
    }

    ConfigException strictError(Entry entry)
    {
        String suggestion = options.suggest(entry.key).map(s -> "; did you mean \"" + s + "\"?").orElse("");
        return ConfigException.at(entry.origin, "unknown option \"" + entry.key + "\" with strict = true" + suggestion);
    }

    private void immediate(String key, String value, Origin origin)
    {
        if (declared.declares(key) && !options.isKnown(key))
        {
            expandCustomOption(key, value, origin);
            return;
        }
        Logic start = LOGIC.get(key);
        if (start != null)
        {
            startLogic(start, key, value, origin);
            return;
        }
        switch (key)
        {
            case "ini" -> loadIni(required(key, value, origin), origin);
            case "include", "config" -> loadTemplate(required(key, value, origin), origin);
            case "json", "js" -> loadJson(required(key, value, origin), origin);
            case "xml", "xmlconfig", "yaml", "yml" -> throw ConfigException.at(origin, key + " = " + value +
                ": " + key + " configuration files are not supported (expected: ini or json)");
            case "for-glob" -> throw ConfigException.at(origin, "for-glob is not supported (expected: for, for-times or for-readline)");
            case "strict" -> strict = isTrue(value);
            case "set" -> setPlaceholder(key, value, origin, false);
            case "set-ph", "set-placeholder" -> setPlaceholder(key, value, origin, true);
            case "declare-option" -> declareOption(value, origin);
            default ->
            {
                if (IGNORED_AT_LOAD.contains(key))
                    warnings.add(origin + ": \"" + key + "\" acts while uWSGI reads its config; not supported here, ignored");
            }
        }
    }

    private static String required(String key, String value, Origin origin)
    {
        if (value == null || value.isEmpty())
            throw ConfigException.at(origin, key + ": a file name is required");
        return value;
    }

    /**
     * uWSGI's {@code uwsgi_opt_true}: only {@code false}, {@code off}, {@code no} and {@code 0} are false; a missing
     * or empty value is true.
     */
    static boolean isTrue(String value)
    {
        return value == null || !(value.equalsIgnoreCase("false") || value.equalsIgnoreCase("off") ||
            value.equalsIgnoreCase("no") || value.equals("0"));
    }

    private void setPlaceholder(String key, String value, Origin origin, boolean placeholderOnly)
    {
        int equals = value == null ? -1 : value.indexOf('=');
        if (equals < 0)
            throw ConfigException.at(origin, key + " = " + value + ": invalid value (expected: name=value)");
        add(value.substring(0, equals), value.substring(equals + 1), origin, placeholderOnly);
    }

    // ---- custom options (declare-option) ------------------------------------------------------------------------

    void declareOption(String value, Origin origin)
    {
        int equals = value == null ? -1 : value.indexOf('=');
        if (equals < 0)
            throw ConfigException.at(origin, "declare-option = " + value + ": invalid value (expected: newoption=template)");
        String name = value.substring(0, equals);
        if (options.isKnown(name))
            warnings.add(origin + ": declare-option \"" + name + "\" is already a uWSGI option; uWSGI keeps the built-in one");
        else
            declared.declare(name, value.substring(equals + 1));
    }

    /**
     * {@code uwsgi_opt_custom}: each option the template makes is applied directly. uWSGI does not list those in its
     * exported options, so they are kept as {@link ConfigEntry#derived()} entries.
     */
    private void expandCustomOption(String key, String value, Origin origin)
    {
        declared.expand(key, value, origin, (newKey, newValue) ->
        {
            if (!isOption(newKey))
            {
                if (strict)
                    throw ConfigException.at(origin, key + " expands to unknown option \"" + newKey + "\" with strict = true");
                warnings.add(origin + ": " + key + " expands to unknown option \"" + newKey + "\"; uWSGI ignores it");
                return;
            }
            checkEntryLimit(origin);
            Entry derived = new Entry(newKey, newValue, origin, false, true);
            derived.configured = true;
            entries.add(derived);
            if (options.isImmediate(newKey) || declared.declares(newKey))
                immediate(newKey, newValue, origin);
        });
    }

    // ---- logic blocks ------------------------------------------------------------------------------------------

    private void startLogic(Logic start, String key, String value, Origin origin)
    {
        if (logic != null)
            throw ConfigException.at(origin, key + ": logic blocks cannot be nested (uWSGI: recursive logic in options is not supported)");
        logic = start;
        logicArgument = value == null ? "" : value;
    }

    private void runLogic(String key, String value, Origin origin)
    {
        String data = logicArgument;
        switch (logic)
        {
            case FOR ->
            {
                for (String item : data.split(" "))
                {
                    if (!item.isEmpty())
                        add(key, context(value, item), origin);
                }
            }
            case FOR_TIMES ->
            {
                long times = PlaceholderMath.strtoll(data);
                for (long i = 1; i <= times; i++)
                    add(key, context(value, Long.toString(i)), origin);
            }
            case FOR_READLINE ->
            {
                byte[] content;
                try
                {
                    content = files.readLines(data, origin);
                }
                catch (IOException x)
                {
                    warnings.add(origin + ": for-readline cannot read " + data + " (" + x.getMessage() + ")");
                    return;
                }
                new String(content, StandardCharsets.UTF_8).lines().forEach(line -> add(key, context(value, line), origin));
            }
            case IF_ENV, IF_OPT, IF_NOT_ENV, IF_NOT_OPT ->
            {
                int equals = data.indexOf('=');
                String name = equals < 0 ? data : data.substring(0, equals);
                boolean env = logic == Logic.IF_ENV || logic == Logic.IF_NOT_ENV;
                String actual = env ? facts.environment().get(name) : firstValue(name);
                boolean matches = actual != null && (equals < 0 || data.substring(equals + 1).equals(actual));
                boolean negated = logic == Logic.IF_NOT_ENV || logic == Logic.IF_NOT_OPT;
                if (matches != negated)
                    add(key, context(value, actual), origin);
            }
            case IF_EXISTS, IF_NOT_EXISTS -> when(Files.isReadable(files.resolve(data, origin)) == (logic == Logic.IF_EXISTS), key, value, data, origin);
            case IF_FILE, IF_NOT_FILE -> when(Files.isRegularFile(files.resolve(data, origin)) == (logic == Logic.IF_FILE), key, value, data, origin);
            case IF_DIR, IF_NOT_DIR -> when(Files.isDirectory(files.resolve(data, origin)) == (logic == Logic.IF_DIR), key, value, data, origin);
            case IF_RELOAD, IF_NOT_RELOAD ->
            {
                if (facts.reload() == (logic == Logic.IF_RELOAD))
                    add(key, value, origin);
            }
            case IF_HOSTNAME, IF_NOT_HOSTNAME -> when(facts.hostname().equals(data) == (logic == Logic.IF_HOSTNAME), key, value, data, origin);
            case IF_HOSTNAME_MATCH, IF_NOT_HOSTNAME_MATCH ->
                when(Pattern.compile(data).matcher(facts.hostname()).find() == (logic == Logic.IF_HOSTNAME_MATCH), key, value, data, origin);
            // no uWSGI plugin is ever loaded in the JVM
            case IF_PLUGIN, IF_NOT_PLUGIN -> when(logic == Logic.IF_NOT_PLUGIN, key, value, data, origin);
        }
    }

    private void when(boolean condition, String key, String value, String data, Origin origin)
    {
        if (condition)
            add(key, context(value, data), origin);
    }

    /**
     * Replaces {@code %(_)} by the block's context value; with no context (an unset variable) it stays as written.
     */
    private static String context(String value, String with)
    {
        if (value == null || with == null)
            return value;
        return value.replace("%(_)", with);
    }

    String firstValue(String key)
    {
        referenced.add(key);
        Entry first = firstEntries.get(key);
        return first == null ? null : first.value;
    }

    // ---- files ---------------------------------------------------------------------------------------------------

    /**
     * {@code ini = file[:section]}, {@code --ini}: may set the upper-case magic variables if it is the first config.
     */
    void loadIni(String name, Origin origin)
    {
        ConfigFiles.refuseScheme(name, origin);
        int colon = name.lastIndexOf(':');
        String file = colon >= 0 ? name.substring(0, colon) : name;
        String section = colon >= 0 && colon + 1 < name.length() ? name.substring(colon + 1) : "uwsgi";
        if (colon == 0)
        {
            // ":section" means another section of the last ini file read
            if (lastIniFile == null)
                throw ConfigException.at(origin, "ini = " + name + ": no ini file was read before (expected: file.ini:section)");
            file = lastIniFile;
        }
        enterInclude(origin);
        try
        {
            boolean first = fillMagic(name, origin);
            String text = magic.substitute(files.readConfig(file, origin));
            lastIniFile = file;
            List<RawOption> found = IniFormat.read(text, section);
            if (found == null)
            {
                warnings.add(origin + ": no section [" + section + "] in ini file " + file);
            }
            else
            {
                for (RawOption option : found)
                    add(option.key(), option.value(), new Origin(file, option.line()));
            }
            if (first)
                magic.firstFileRead();
        }
        finally
        {
            includeDepth--;
        }
    }

    void loadJson(String name, Origin origin)
    {
        ConfigFiles.refuseScheme(name, origin);
        int colon = name.lastIndexOf(':');
        String file = colon >= 0 ? name.substring(0, colon) : name;
        String section = colon >= 0 && colon + 1 < name.length() ? name.substring(colon + 1) : "uwsgi";
        enterInclude(origin);
        try
        {
            boolean first = fillMagic(name, origin);
            String text = magic.substitute(files.readConfig(file, origin));
            for (RawOption option : JsonFormat.read(text, section, file))
                add(option.key(), option.value(), new Origin(file, option.line()));
            if (first)
                magic.firstFileRead();
        }
        finally
        {
            includeDepth--;
        }
    }

    /**
     * {@code include}, {@code inherit} and a bare file argument ({@code uwsgi_opt_load}): chosen by the extension of
     * the whole name, and never the "first config" of the upper-case magic variables.
     */
    void loadTemplate(String name, Origin origin)
    {
        templateDepth++;
        try
        {
            if (name.endsWith(".ini"))
                loadIni(name, origin);
            else if (name.endsWith(".json") || name.endsWith(".js"))
                loadJson(name, origin);
            else
            {
                // the launcher's most common slip: a WAR given where uWSGI takes config files
                String hint = name.endsWith(".war") && options.isKnown("war") ? "; did you mean --war " + name + "?" : "";
                throw ConfigException.at(origin, "unable to load configuration from " + name + " (expected: a name ending in .ini, .json or .js" + hint + ")");
            }
        }
        finally
        {
            templateDepth--;
        }
    }

    private void enterInclude(Origin origin)
    {
        if (++includeDepth > limits.maxIncludeDepth())
        {
            includeDepth--;
            throw ConfigException.at(origin, "config files nested more than " + limits.maxIncludeDepth() + " deep (an include cycle?)");
        }
    }

    private boolean fillMagic(String name, Origin origin)
    {
        boolean mayBeFirst = templateDepth == 0;
        files.resolve(name, origin);
        try
        {
            return magic.fill(name, mayBeFirst);
        }
        catch (ConfigException x)
        {
            throw ConfigException.at(origin, x.getMessage());
        }
    }

    // ---- after loading -----------------------------------------------------------------------------------------

    /**
     * The three passes uWSGI runs once every source is read: {@code $(ENV)}, then {@code @(file)}, then
     * {@code %(placeholder)}, each over the options not applied at read time, in order.
     */
    void expand()
    {
        ConfigPass.Budget budget = new ConfigPass.Budget(limits);
        for (Entry entry : entries)
        {
            if (entry.value != null && !entry.configured)
                entry.value = ConfigPass.apply(entry.value, '$', facts.environment()::get, entry.origin, budget);
        }
        for (Entry entry : entries)
        {
            if (entry.value != null && !entry.configured)
                entry.value = ConfigPass.apply(entry.value, '@', file -> files.readAtFile(file, entry.origin), entry.origin, budget);
        }
        for (Entry entry : entries)
        {
            if (entry.value != null && !entry.configured)
                entry.value = ConfigPass.apply(entry.value, '%', key -> PlaceholderMath.evaluate(key, this::firstValue), entry.origin, budget);
        }
    }

    /**
     * uWSGI's {@code uwsgi_configure} as far as loading goes: {@code inherit} is applied only now, after the passes,
     * so the inherited file's {@code $()}, {@code @()} and {@code %()} stay unexpanded; strict mode rejects any
     * unknown key, wherever {@code strict} was set.
     */
    void configure()
    {
        int inherited = 0;
        for (int i = 0; i < entries.size(); i++)
        {
            Entry entry = entries.get(i);
            if (entry.configured)
                continue;
            switch (entry.key)
            {
                case "inherit" ->
                {
                    entry.configured = true;
                    // an inherited file that (through its includes) inherits itself again would add entries for ever
                    if (++inherited > limits.maxIncludeDepth())
                        throw ConfigException.at(entry.origin, "inherit: more than " + limits.maxIncludeDepth() + " files inherited (expected: fewer; an inherit cycle?)");
                    loadTemplate(required("inherit", entry.value, entry.origin), entry.origin);
                }
                case "declare-option2" ->
                {
                    entry.configured = true;
                    declareOption(entry.value, entry.origin);
                }
                default ->
                {
                    if (strict && !isOption(entry.key))
                        throw strictError(entry);
                }
            }
        }
    }
}
