package io.github.jettyuwsgi.launcher.options;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.jettyuwsgi.config.ConfigEntry;
import io.github.jettyuwsgi.config.ConfigException;
import io.github.jettyuwsgi.config.HostFacts;
import io.github.jettyuwsgi.config.UwsgiConfigLoader;
import io.github.jettyuwsgi.config.UwsgiOptions;

/**
 * Reads a command line into {@link LauncherOptions}: the first step of the launcher. The uWSGI dialect
 * ({@link UwsgiConfigLoader}: {@code UWSGI_*} environment variables, the command line, {@code --ini}, {@code --json},
 * bare {@code file.ini} arguments, placeholders and logic) turns the input into entries; each entry goes to its row of
 * the {@link Option} table, whose applier sets the option's field. Keys that only mean something to uWSGI's
 * multi-process C core become notices, once each, with the reason. Once every entry is applied, the paths uWSGI reads
 * after its {@code chdir} are resolved against it. Reading never throws for a user mistake: the problems wait for
 * {@link LauncherOptions#validate()}.
 */
final class OptionsReader
{
    private static final UwsgiOptions KNOWN_OPTIONS = Option.knownOptions();

    /**
     * Options that only mean something for uWSGI's multi-process C core, each with the reason it has no job here.
     */
    private static final Map<String, String> IGNORED = ignoredOptions();

    /**
     * The keys of the configuration language itself (includes, placeholders, logic): the loader has applied them.
     */
    private static final Set<String> LANGUAGE_KEYS = Set.of("ini", "json", "js", "include", "inherit", "set", "set-ph",
        "set-placeholder", "declare-option", "declare-option2", "strict", "print", "iprint", "for", "for-times",
        "for-readline", "endfor", "end-for", "endif", "end-if", "end", "ifdir", "ifenv", "ifexists", "ifplugin",
        "show-config", "dry-run", "help");

    private final LauncherOptions options = new LauncherOptions();
    private final OptionValues values = new OptionValues(options);

    private OptionsReader()
    {
    }

    /**
     * @param facts the working directory and environment the configuration is read with
     * @param args the command line arguments
     * @return the options; problems found are reported by {@link LauncherOptions#validate()}
     */
    static LauncherOptions read(HostFacts facts, String... args)
    {
        OptionsReader reader = new OptionsReader();
        LauncherOptions options = reader.options;
        options.command = ControlCommand.find(args).orElse(null);
        if (options.command != null)
            return options;
        List<String> normalized = reader.normalize(List.of(args));
        if (!options.problems.isEmpty())
            return options;
        try
        {
            options.config = new UwsgiConfigLoader(facts, KNOWN_OPTIONS).load(normalized);
        }
        catch (ConfigException x)
        {
            options.problems.add(x.getMessage());
            return options;
        }
        options.notices.addAll(options.config.warnings());
        for (ConfigEntry entry : options.config.entries())
        {
            if (!entry.placeholderOnly())
                reader.apply(entry);
        }
        reader.resolveAgainstChdir();
        return options;
    }

    /**
     * Catches the slips that getopt would turn into something else, and keeps the launcher's own earlier forms working.
     */
    private List<String> normalize(List<String> args)
    {
        List<String> normalized = new ArrayList<>();
        for (int i = 0; i < args.size(); i++)
        {
            String arg = args.get(i);
            if (arg.equals("--"))
            {
                normalized.addAll(args.subList(i, args.size()));
                break;
            }
            String name = arg.startsWith("--") ? arg.substring(2).split("=", 2)[0] : null;
            if (arg.startsWith("-") && !arg.startsWith("--") && arg.length() > 2 && KNOWN_OPTIONS.isKnown(arg.substring(1).split("=", 2)[0]))
            {
                // getopt would read -socket as -s ocket: a socket named "ocket"
                options.problems.add("unknown option: " + arg.split("=", 2)[0] + " (did you mean -" + arg.split("=", 2)[0] + "?)");
                return normalized;
            }
            if (name != null && !arg.contains("=") && name.equals("chmod-socket") && i + 1 < args.size() && isChmodValue(args.get(i + 1)))
            {
                // uWSGI takes this optional value only as --chmod-socket=660; the launcher always took the next word
                normalized.add(arg + "=" + args.get(++i));
                continue;
            }
            if (name != null && !arg.contains("=") && KNOWN_OPTIONS.argument(name).orElse(null) == UwsgiOptions.Argument.REQUIRED &&
                (i + 1 == args.size() || (args.get(i + 1).startsWith("--") && args.get(i + 1).length() > 2)))
            {
                Option option = Option.of(name);
                options.problems.add(arg + ": missing value (expected: " + arg + " " + (option == null ? "VALUE" : option.valueName) + ")");
                return normalized;
            }
            normalized.add(arg);
        }
        return normalized;
    }

    /**
     * @return whether the word after {@code --chmod-socket} is its value (the launcher's form) rather than an option or
     * a config file (uWSGI's reading)
     */
    private static boolean isChmodValue(String word)
    {
        return !word.startsWith("-") && !word.endsWith(".ini") && !word.endsWith(".json") && !word.endsWith(".js");
    }

    private void apply(ConfigEntry entry)
    {
        String key = entry.key();
        Option option = Option.of(key);
        try
        {
            if (option != null)
                option.applier.apply(values, entry, options);
            else if (IGNORED.containsKey(key))
                options.notices.add("option " + key + " ignored: " + IGNORED.get(key));
            else if (KNOWN_OPTIONS.isKnown(key) && !isLanguageKey(key))
                options.notices.add(entry.origin() + ": option " + key + " is not supported by jetty-uwsgi, ignored");
        }
        catch (InvalidPathException x)
        {
            options.problems.add(OptionValues.source(entry) + ": '" + entry.value() + "' is not a valid path (" + x.getReason() + ")");
        }
    }

    private static boolean isLanguageKey(String key)
    {
        return LANGUAGE_KEYS.contains(key) || key.startsWith("if-");
    }

    private static Map<String, String> ignoredOptions()
    {
        Map<String, String> ignored = new LinkedHashMap<>();
        String oneProcess = "one JVM serves every request with threads (see threads), there are no worker processes";
        ignored.put("master", "the JVM is a single process; there is no master forking workers");
        ignored.put("processes", oneProcess);
        ignored.put("workers", oneProcess);
        ignored.put("cheaper", oneProcess);
        ignored.put("enable-threads", "JVM threads are always enabled");
        ignored.put("lazy-apps", "each WAR is deployed once, in the only process");
        ignored.put("lazy", "each WAR is deployed once, in the only process");
        ignored.put("thunder-lock", "there are no worker processes competing for accept()");
        ignored.put("plugins", "Java support is built in; no uWSGI plugin is loaded");
        ignored.put("plugin", "Java support is built in; no uWSGI plugin is loaded");
        ignored.put("single-interpreter", "there is no interpreter; each WAR has its own class loader");
        ignored.put("max-requests", "not applicable: there is no worker process to recycle; the JVM's garbage collector reclaims memory");
        ignored.put("die-on-term", "SIGTERM always stops the launcher gracefully");
        ignored.put("memory-report", "use the JVM's own tools (jcmd, JFR) for memory");
        return Collections.unmodifiableMap(ignored);
    }

    /**
     * uWSGI reads the pidfile and logto paths before its {@code chdir()}, and everything else (sockets, applications,
     * the JVM plugin's classpath, touch-reload, the master FIFO) after it: core/uwsgi.c in 2.0.21. The JVM cannot
     * change its working directory, so the paths uWSGI would read after the chdir are resolved against it here, once
     * the whole configuration is read (uWSGI applies chdir wherever the key stands). This is the one place that knows
     * which option is read before and which after: a new path-valued option resolves here when uWSGI reads it after
     * its chdir.
     */
    private void resolveAgainstChdir()
    {
        Path chdir = options.chdir;
        if (chdir == null)
            return;
        if (options.war != null)
        {
            String source = options.mountSources.remove(options.war);
            options.war = new LauncherOptions.Mount(options.war.contextPath(), chdir.resolve(options.war.war()));
            options.mountSources.put(options.war, source);
        }
        List<LauncherOptions.Mount> mounts = options.mounts;
        for (int i = 0; i < mounts.size(); i++)
        {
            LauncherOptions.Mount mount = mounts.get(i);
            String source = options.mountSources.remove(mount);
            mounts.set(i, new LauncherOptions.Mount(mount.contextPath(), chdir.resolve(mount.war())));
            options.mountSources.put(mounts.get(i), source);
        }
        options.classpath.replaceAll(chdir::resolve);
        options.realms.replaceAll((name, file) -> chdir.resolve(file));
        options.touchReload.replaceAll(chdir::resolve);
        if (options.masterFifo != null)
            options.masterFifo = chdir.resolve(options.masterFifo);
        options.uwsgiSockets.replaceAll(this::underChdir);
        options.httpSockets.replaceAll(this::underChdir);
        options.fastcgiSockets.replaceAll(this::underChdir);
        options.httpsSockets.replaceAll(spec -> new HttpsSocketSpec(underChdir(spec.address()), chdir.resolve(spec.certificate()), chdir.resolve(spec.key()), spec.ciphers()));
        if (options.stats != null)
            options.stats = underChdir(options.stats);
    }

    private ListenAddress underChdir(ListenAddress address)
    {
        Path chdir = options.chdir;
        if (!address.isUnix() || Path.of(address.toString()).isAbsolute())
            return address;
        try
        {
            return ListenAddress.parse(chdir.resolve(address.toString()).toString());
        }
        catch (IllegalArgumentException x)
        {
            options.problems.add("chdir: socket " + address + " under " + chdir + ": " + x.getMessage());
            return address;
        }
    }
}
