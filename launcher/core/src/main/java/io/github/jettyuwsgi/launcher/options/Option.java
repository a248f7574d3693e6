package io.github.jettyuwsgi.launcher.options;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.github.jettyuwsgi.config.ConfigEntry;
import io.github.jettyuwsgi.config.UwsgiOptions;
import io.github.jettyuwsgi.launcher.webapps.JettyModules;
import io.github.jettyuwsgi.uwsgi.codec.Uwsgi;
import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;

import static io.github.jettyuwsgi.launcher.options.LauncherOptions.DEFAULT_BUFFER_SIZE;
import static io.github.jettyuwsgi.launcher.options.LauncherOptions.DEFAULT_EMPEROR_FREQ_SECONDS;
import static io.github.jettyuwsgi.launcher.options.LauncherOptions.DEFAULT_EMPEROR_MAX_THROTTLE_MILLIS;
import static io.github.jettyuwsgi.launcher.options.LauncherOptions.DEFAULT_EMPEROR_THROTTLE_MILLIS;
import static io.github.jettyuwsgi.launcher.options.LauncherOptions.DEFAULT_ACCEPTORS;
import static io.github.jettyuwsgi.launcher.options.LauncherOptions.DEFAULT_LISTEN;
import static io.github.jettyuwsgi.launcher.options.LauncherOptions.MAX_ACCEPTORS;
import static io.github.jettyuwsgi.launcher.options.LauncherOptions.DEFAULT_SOCKET_TIMEOUT_SECONDS;
import static io.github.jettyuwsgi.launcher.options.LauncherOptions.DEFAULT_SUBSCRIBE_FREQ;
import static io.github.jettyuwsgi.launcher.options.LauncherOptions.DEFAULT_THREADS;
import static io.github.jettyuwsgi.launcher.options.LauncherOptions.ENVIRONMENTS;
import static io.github.jettyuwsgi.launcher.options.OptionValues.isTrue;

/**
 * The option table: every key the launcher applies, once, with its aliases, its argument, its help line and how it
 * applies. {@link OptionsReader} dispatches each configuration entry here, {@link Usage} prints the help from it, and
 * the key is known to the uWSGI dialect through it ({@link #knownOptions()}); docs/configuration.md has one row per
 * entry. The order here is the order of {@code --help}.
 *
 * <p>An entry's default is the named constant of {@link LauncherOptions} its field starts with, and its help line
 * says that default. An entry's {@code argument} is {@code null} for a key uWSGI itself has (the dialect already knows
 * whether it takes a value); a key of the launcher's own says {@link UwsgiOptions.Argument#REQUIRED} or
 * {@link UwsgiOptions.Argument#NO}.</p>
 */
enum Option
{
    SOCKET("socket", List.of("uwsgi-socket"), null, "ADDRESS", true, "a uwsgi socket: HOST:PORT, :PORT (all interfaces) or a Unix socket path; also uwsgi-socket, -s",
        (values, entry, options) -> values.addAddress(entry, options.uwsgiSockets)),
    HTTP_SOCKET("http-socket", List.of("http"), null, "ADDRESS", true, "a plain HTTP socket, same forms as --socket; also http (uWSGI's HTTP router key: existing ini files keep working)",
        (values, entry, options) -> values.addAddress(entry, options.httpSockets)),
    HTTPS_SOCKET("https-socket", List.of("https"), null, "ADDRESS,CERT,KEY[,CIPHERS]", true, "an HTTPS socket with uWSGI's syntax: PEM certificate chain and unencrypted PEM key; also https",
        OptionValues::addHttpsSocket),
    FASTCGI_SOCKET("fastcgi-socket", List.of(), null, "ADDRESS", true, "a FastCGI socket (Jetty's FastCGI server), for nginx fastcgi_pass with fastcgi_keep_conn on; same forms as --socket",
        (values, entry, options) -> values.addAddress(entry, options.fastcgiSockets)),
    FRONTEND_SECRET("frontend-secret", List.of(), UwsgiOptions.Argument.REQUIRED, "NAME=VALUE", false, "every uwsgi packet must carry var NAME with VALUE (nginx: uwsgi_param NAME VALUE;), else it is answered 403 and closed; the var is removed before the application sees the request",
        OptionValues::setFrontendSecret),
    ALLOW_FRONTEND("allow-frontend", List.of(), UwsgiOptions.Argument.REQUIRED, "CIDR", true, "accept uwsgi and FastCGI connections over TCP only from these addresses, e.g. 10.0.0.0/8, 192.0.2.7, 2001:db8::/32; others are closed unread",
        OptionValues::addAllowFrontend),
    INSECURE_FRONTEND("insecure-frontend", List.of(), UwsgiOptions.Argument.NO, "", false, "let a uwsgi or FastCGI socket on a non-loopback address start without --frontend-secret or --allow-frontend: any host that reaches it is believed",
        (values, entry, options) -> options.insecureFrontend = isTrue(entry)),
    WAR("war", List.of(), null, "FILE", false, "deploy a WAR (file or exploded directory) at /",
        OptionValues::setWar),
    MOUNT("mount", List.of(), null, "PATH=FILE", true, "deploy a WAR at context path PATH, e.g. /shop=shop.war",
        OptionValues::addMount),
    APP("app", List.of(), null, "[PATH=]CLASS", true, "serve a gateway application (a GatewayApplication class from --classpath) at PATH, default /",
        (values, entry, options) -> values.addGateway(entry, options, "application")),
    JWSGI("jwsgi", List.of(), null, "[PATH=]CLASS:METHOD", true, "serve a JWSGI application, as uWSGI's --jwsgi, from --classpath at PATH, default /",
        (values, entry, options) -> values.addGateway(entry, options, "jwsgi")),
    CLASSPATH("classpath", List.of("jvm-classpath"), UwsgiOptions.Argument.REQUIRED, "DIR|JAR", true, "where the classes of --app and --jwsgi come from; also jvm-classpath",
        (values, entry, options) -> options.classpath.add(Path.of(entry.displayValue()))),
    CHMOD_SOCKET("chmod-socket", List.of(), null, "MODE", false, "permission bits of the Unix sockets, e.g. 660; alone: 666 (default: the umask's)",
        OptionValues::setChmodSocket),
    CHOWN_SOCKET("chown-socket", List.of(), null, "USER[:GROUP]", false, "owner of the Unix sockets, names or ids, e.g. app:www-data (needs root)",
        OptionValues::setChownSocket),
    LISTEN("listen", List.of(), null, "N", false, "the sockets' listen backlog: connections the kernel queues before they are accepted, capped by net.core.somaxconn (default: " + DEFAULT_LISTEN + ", as uWSGI)",
        (values, entry, options) -> options.listen = values.number(entry, entry.displayValue(), 1, 65_535, DEFAULT_LISTEN)),
    ACCEPTORS("acceptors", List.of(), UwsgiOptions.Argument.REQUIRED, "N", false, "threads that accept on each uwsgi socket; one serves the connection it accepted while another waits to accept. More than the CPUs makes Jetty warn (default: one per CPU, 2 to 4; 1 on a single CPU)",
        (values, entry, options) -> options.acceptors = values.number(entry, entry.displayValue(), 1, MAX_ACCEPTORS, DEFAULT_ACCEPTORS)),
    BUFFER_SIZE("buffer-size", List.of(), null, "BYTES", false, "largest uwsgi vars block accepted, " + UwsgiConfiguration.MIN_MAX_VARS_SIZE + " to " + Uwsgi.MAX_DATASIZE + "; 32k means 32768 and 64k means 65535 (default: " + DEFAULT_BUFFER_SIZE + ")",
        OptionValues::setBufferSize),
    SOCKET_TIMEOUT("socket-timeout", List.of(), null, "SECONDS", false, "close a connection whose request stalls that long: nothing sent, part of a packet or request head, or a body that stops while the application waits for it; counted in the stats. Not a limit on the application's time (see harakiri); also -z (default: " + DEFAULT_SOCKET_TIMEOUT_SECONDS + ", as uWSGI)",
        (values, entry, options) -> options.socketTimeout = values.number(entry, entry.displayValue(), 1, 86_400, DEFAULT_SOCKET_TIMEOUT_SECONDS)),
    REALM("realm", List.of(), UwsgiOptions.Argument.REQUIRED, "NAME=FILE", true, "a login realm for BASIC and FORM security: a properties file of 'user: password[,role...]' lines; NAME must match the WAR's <realm-name>",
        OptionValues::addRealm),
    THREADS("threads", List.of(), null, "N", false, "request threads: how many requests run at once; the sockets' accept and select threads come on top (default: " + DEFAULT_THREADS + ")",
        (values, entry, options) -> options.threads = values.number(entry, entry.displayValue(), LauncherOptions.MIN_THREADS, 100_000, DEFAULT_THREADS)),
    MOUNT_ENVIRONMENT("mount-environment", List.of(), UwsgiOptions.Argument.REQUIRED, "PATH=ENV", true, "deploy the WAR mounted at PATH in ENV (" + String.join(", ", ENVIRONMENTS) + "), whatever is detected or forced for the others",
        OptionValues::addMountEnvironment),
    JETTY_MODULE("jetty-module", List.of(), UwsgiOptions.Argument.REQUIRED, "NAME", true, "check that a jetty-home module a WAR needs is there: " + String.join(", ", JettyModules.names()) + " (optionally eeN-NAME)",
        OptionValues::addJettyModule),
    ENVIRONMENT("environment", List.of(), UwsgiOptions.Argument.REQUIRED, "ENV", false, "deploy every WAR in " + String.join(", ", ENVIRONMENTS) + " (default: detected per WAR)",
        OptionValues::setEnvironment),
    SESSION_STORE("session-store", List.of(), UwsgiOptions.Argument.REQUIRED, "memory|file:DIR|jdbc:URL", false, "where the HTTP sessions of every application live: memory (lost at stop), a directory, or a database shared by a fleet (see docs/fleet.md)",
        OptionValues::putSession),
    SESSION_WORKER("session-worker", List.of(), UwsgiOptions.Argument.REQUIRED, "NAME", false, "this instance's suffix of session ids, unique in the fleet (default: host and first socket)",
        OptionValues::putSession),
    SESSION_SAVE("session-save", List.of(), UwsgiOptions.Argument.REQUIRED, "always|changed", false, "write a session after every request that used it, or when it changed (default: always)",
        OptionValues::putSession),
    SESSION_FLUSH("session-flush", List.of(), UwsgiOptions.Argument.REQUIRED, "commit|exit", false, "write a changed session before the response is sent, so the next request on any instance sees it, or after (default: commit)",
        OptionValues::putSession),
    SESSION_CACHE("session-cache", List.of(), UwsgiOptions.Argument.REQUIRED, "none|SECONDS", false, "keep sessions in memory until SECONDS after their last request; none reads the store on every request, as a fleet needs (default: none)",
        OptionValues::putSession),
    SESSION_TABLE("session-table", List.of(), UwsgiOptions.Argument.REQUIRED, "NAME", false, "the JDBC table of the sessions, created at start if missing (default: JettySessions)",
        OptionValues::putSession),
    SESSION_SCHEMA("session-schema", List.of(), UwsgiOptions.Argument.REQUIRED, "NAME", false, "the schema of the JDBC table (default: the connection's)",
        OptionValues::putSession),
    SESSION_SCAVENGE("session-scavenge", List.of(), UwsgiOptions.Argument.REQUIRED, "SECONDS", false, "look for expired sessions every SECONDS (default: 600)",
        OptionValues::putSession),
    SESSION_DRIVER("session-driver", List.of(), UwsgiOptions.Argument.REQUIRED, "CLASS", false, "the JDBC driver class (default: the driver of the class path that accepts the URL)",
        OptionValues::putSession),
    SESSION_DRIVER_CLASSPATH("session-driver-classpath", List.of(), UwsgiOptions.Argument.REQUIRED, "JAR[:JAR...]", false, "where the JDBC driver is loaded from (default: --classpath)",
        OptionValues::putSession),
    PIDFILE("pidfile", List.of(), null, "FILE", false, "write the process id to FILE once started; a stale one is overwritten",
        (values, entry, options) -> options.pidFile = Path.of(entry.displayValue())),
    TOUCH_RELOAD("touch-reload", List.of(), null, "FILE", true, "reload gracefully when FILE's modification time changes (see SIGHUP)",
        (values, entry, options) -> options.touchReload.add(Path.of(entry.displayValue()))),
    MASTER_FIFO("master-fifo", List.of(), null, "FILE", false, "create a named pipe that takes uWSGI's commands: r reload, q stop, Q stop at once, l reopen logs",
        (values, entry, options) -> options.masterFifo = Path.of(entry.displayValue())),
    LOG_FORMAT("log-format", List.of("logformat"), null, "FORMAT", false, "the request log line, with uWSGI's %(name) variables, e.g. '%(addr) %(method) %(uri) %(status)'; also logformat (default: uWSGI's default line)",
        OptionValues::setLogFormat),
    DISABLE_LOGGING("disable-logging", List.of(), null, "", false, "write no request log line; also -L",
        (values, entry, options) -> options.disableLogging = isTrue(entry)),
    VACUUM("vacuum", List.of(), null, "", false, "remove the pidfile when stopping (Unix socket files are always removed)",
        (values, entry, options) -> options.vacuum = isTrue(entry)),
    HARAKIRI("harakiri", List.of(), null, "SECONDS", false, "a request still running after SECONDS is interrupted, logged and answered 504, or cut off if its response had begun (default: 0, never; a reload keeps the value)",
        (values, entry, options) -> options.harakiri = values.number(entry, entry.displayValue(), 0, 86_400, 0)),
    NEED_APP("need-app", List.of(), null, "", false, "exit with status 22 if no application starts, and refuse a reload that would leave none started, as uWSGI's need-app (an application that does not start next to others that do is logged and answers 503 at its path, with or without it)",
        (values, entry, options) -> options.needApp = isTrue(entry)),
    ENV("env", List.of(), null, "KEY=VALUE", true, "set an environment variable of the launcher process (System.getenv) before the applications start; KEY alone removes it",
        OptionValues::addEnv),
    UNENV("unenv", List.of(), null, "KEY", true, "remove an environment variable of the launcher process, as env = KEY",
        OptionValues::addUnenv),
    CHDIR("chdir", List.of(), null, "DIR", false, "resolve the relative paths uWSGI reads after its chdir (war, mount, classpath, realm, Unix sockets, touch-reload, master-fifo) against DIR; pidfile and logto stay relative to the launch directory, as in uWSGI, and so does the applications' new File(\"x\")",
        (values, entry, options) -> options.chdir = Path.of(entry.displayValue())),
    LOGTO("logto", List.of(), null, "FILE", false, "append the log, the request log and the applications' System.out and System.err to FILE instead of the terminal; master-fifo l and a reload reopen it (for logrotate)",
        OptionValues::setLogTo),
    STATS("stats", List.of("stats-server"), null, "ADDRESS", false, "serve uWSGI's stats JSON document on HOST:PORT or a Unix socket path (for uwsgitop, exporters); also stats-server",
        (values, entry, options) -> options.stats = values.address(entry)),
    STATS_HTTP("stats-http", List.of(), null, "", false, "serve the stats document as an HTTP response",
        (values, entry, options) -> options.statsHttp = isTrue(entry)),
    SUBSCRIBE_TO("subscribe-to", List.of("subscribe"), null, "ROUTER:PORT:KEY", true, "subscribe to a uWSGI router's subscription server for the virtual host KEY; also subscribe",
        OptionValues::addSubscription),
    SUBSCRIBE2("subscribe2", List.of(), null, "server=ROUTER:PORT,key=KEY[,...]", true, "a subscription in key=value form (server, key, addr, weight, modifier1, modifier2)",
        OptionValues::addSubscription),
    SUBSCRIBE_FREQ("subscribe-freq", List.of(), null, "SECONDS", false, "send the subscriptions again every SECONDS (default: " + DEFAULT_SUBSCRIBE_FREQ + ")",
        (values, entry, options) -> options.subscribeFreq = values.number(entry, entry.displayValue(), 1, 86_400, DEFAULT_SUBSCRIBE_FREQ)),
    EMPEROR("emperor", List.of(), null, "DIR", false, "run each .ini or .json file of DIR as a vassal in a JVM of its own: a new file starts it, a touched one reloads it, a removed one stops it",
        (values, entry, options) -> options.emperor = Path.of(entry.displayValue())),
    EMPEROR_THROTTLE("emperor-throttle", List.of(), null, "MILLIS", false, "wait before starting again a vassal that died; the wait grows by MILLIS each time it dies again soon after its start (default: " + DEFAULT_EMPEROR_THROTTLE_MILLIS + ")",
        (values, entry, options) -> options.emperorThrottle = values.number(entry, entry.displayValue(), 1, 3_600_000, DEFAULT_EMPEROR_THROTTLE_MILLIS)),
    EMPEROR_MAX_THROTTLE("emperor-max-throttle", List.of(), null, "MILLIS", false, "the longest wait before starting a vassal again (default: " + DEFAULT_EMPEROR_MAX_THROTTLE_MILLIS + ")",
        (values, entry, options) -> options.emperorMaxThrottle = values.number(entry, entry.displayValue(), 1, 86_400_000, DEFAULT_EMPEROR_MAX_THROTTLE_MILLIS)),
    EMPEROR_FREQ("emperor-freq", List.of(), null, "SECONDS", false, "scan the vassals directory every SECONDS; a change is acted on within two scans (default: " + DEFAULT_EMPEROR_FREQ_SECONDS + ")",
        (values, entry, options) -> options.emperorFreq = values.number(entry, entry.displayValue(), 1, 3600, DEFAULT_EMPEROR_FREQ_SECONDS));

    /**
     * How one configuration entry of the option's key is applied to the options being read.
     */
    @FunctionalInterface
    interface Applier
    {
        /**
         * @param values the value readers, which record a problem or a notice instead of throwing
         * @param entry the entry, with its origin for messages
         * @param options the options being read; the entry sets or adds to the option's field
         */
        void apply(OptionValues values, ConfigEntry entry, LauncherOptions options);
    }

    final String key;
    final List<String> aliases;
    final UwsgiOptions.Argument argument;
    final String valueName;
    final boolean repeatable;
    final String help;
    final Applier applier;

    Option(String key, List<String> aliases, UwsgiOptions.Argument argument, String valueName, boolean repeatable, String help, Applier applier)
    {
        this.key = key;
        this.aliases = aliases;
        this.argument = argument;
        this.valueName = valueName;
        this.repeatable = repeatable;
        this.help = help;
        this.applier = applier;
    }

    /**
     * @param key a key as the configuration gives it, or one of its aliases
     * @return the option, or null if the launcher does not apply that key
     */
    static Option of(String key)
    {
        for (Option option : values())
        {
            if (option.key.equals(key) || option.aliases.contains(key))
                return option;
        }
        return null;
    }

    /**
     * @return uWSGI's keys plus the launcher's own (and their aliases), for the dialect's loader
     */
    static UwsgiOptions knownOptions()
    {
        UwsgiOptions known = UwsgiOptions.defaults();
        for (Option option : values())
        {
            if (option.argument != null)
            {
                known = known.with(Set.copyOf(option.aliases), option.argument).with(Set.of(option.key), option.argument);
                continue;
            }
            // uWSGI has the key, but an alias may be a plugin's key its core list lacks (http, https: the HTTP router)
            UwsgiOptions.Argument argument = option.valueName.isEmpty() ? UwsgiOptions.Argument.NO : UwsgiOptions.Argument.REQUIRED;
            for (String alias : option.aliases)
            {
                if (!known.isKnown(alias))
                    known = known.with(Set.of(alias), argument);
            }
        }
        // a flag of ours that is no option of the table: the reader and the launcher act on it themselves
        return known.with(Set.of("dry-run"), UwsgiOptions.Argument.NO);
    }
}
