package io.github.jettyuwsgi.launcher.options;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.jettyuwsgi.config.HostFacts;
import io.github.jettyuwsgi.config.UwsgiConfig;
import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;
import io.github.jettyuwsgi.uwsgi.trust.FrontendSecret;

/**
 * The launcher's configuration, read and checked: the value the first step of the launcher yields, before
 * {@code ServerAssembler} builds a server from it and {@code Launcher} runs that server. It knows nothing of Jetty.
 *
 * <p>{@link #parse(String...)} reads it ({@code OptionsReader}, with uWSGI's dialect: {@code UWSGI_*} environment
 * variables, the command line, {@code --ini}, {@code --json}, bare {@code file.ini} arguments; a later single value
 * wins, repeatable keys append). Reading never throws for a user mistake: {@link #validate()} returns every problem at
 * once, each as one line "what: actual (expected: ...)", prefixed with where the value came from when that is not the
 * command line. Keys that only mean something to uWSGI's multi-process C core are listed by {@link #getNotices()},
 * once each, with the reason. The fields are written only while {@link #parse} runs; the getters return unmodifiable
 * views, so the value does not change once it is returned.</p>
 *
 * <p>How to add an option: see the package comment ({@code package-info.java}). This class is over 400 lines
 * because it is the value only: its constants, fields and one getter per option, each with its Javadoc line; the
 * logic is in the other classes of the package.</p>
 */
public final class LauncherOptions
{
    /** uWSGI's {@code buffer-size}: the largest uwsgi vars block accepted, the most a 16-bit datasize can say. */
    public static final int DEFAULT_BUFFER_SIZE = UwsgiConfiguration.DEFAULT_MAX_VARS_SIZE;
    /** {@code acceptors}: chosen by the connector from the CPUs (see {@code UwsgiServerConnector.defaultAcceptors}). */
    public static final int DEFAULT_ACCEPTORS = -1;
    /** {@code acceptors}: a thread each, all but one able to serve at once, so more only takes threads from the pool. */
    public static final int MAX_ACCEPTORS = 64;
    /** uWSGI's {@code listen}: the sockets' listen backlog. */
    public static final int DEFAULT_LISTEN = 100;
    /** uWSGI's {@code socket-timeout}, in seconds: how long a connection may wait for the bytes of its request. */
    public static final int DEFAULT_SOCKET_TIMEOUT_SECONDS = (int)(UwsgiConfiguration.DEFAULT_SOCKET_TIMEOUT_MILLIS / 1000);
    /**
     * How long a request being handled may go without reading or writing a byte, in milliseconds: Jetty's default idle
     * timeout, kept for the application's time whatever {@code socket-timeout} is.
     */
    public static final long REQUEST_IDLE_TIMEOUT_MILLIS = 30_000;
    /** The maximum number of request threads: Jetty's own default. */
    public static final int DEFAULT_THREADS = 200;
    /** uWSGI's smallest {@code threads}: the sockets' own threads come on top (see ServerAssembler). */
    public static final int MIN_THREADS = 1;
    /** How long a stop (SIGTERM) waits for requests in flight before closing connections, in milliseconds. */
    public static final long STOP_TIMEOUT_MILLIS = 5000;
    /** uWSGI's {@code subscribe-freq}: how often a subscription is sent again, in seconds. */
    public static final int DEFAULT_SUBSCRIBE_FREQ = 10;
    /** uWSGI's {@code emperor-throttle}: the first wait before a vassal that died is started again, in milliseconds. */
    public static final int DEFAULT_EMPEROR_THROTTLE_MILLIS = 1000;
    /** uWSGI's {@code emperor-max-throttle}: the longest wait before a vassal that keeps dying is started again. */
    public static final int DEFAULT_EMPEROR_MAX_THROTTLE_MILLIS = 180_000;
    /** uWSGI's {@code emperor-freq}: seconds between two scans of the vassals directory. */
    public static final int DEFAULT_EMPEROR_FREQ_SECONDS = 3;
    /** The EE environments a WAR can be deployed in. */
    public static final List<String> ENVIRONMENTS = List.of("ee8", "ee10", "ee11");

    /**
     * A WAR to deploy and where.
     *
     * @param contextPath the context path, {@code /} for the root
     * @param war the WAR file or exploded WAR directory
     */
    public record Mount(String contextPath, Path war)
    {
    }

    /**
     * A gateway application to serve and where.
     *
     * @param contextPath the context path, {@code /} for the root
     * @param kind the {@code GatewayServlet} init-param naming it: {@code application} or {@code jwsgi}
     * @param target the class name, or {@code Class:method} for {@code jwsgi}
     * @param source the option that gave it, for messages
     */
    public record GatewayMount(String contextPath, String kind, String target, String source)
    {
        /**
         * @return the class name alone
         */
        public String className()
        {
            int colon = target.indexOf(':');
            return colon < 0 ? target : target.substring(0, colon);
        }
    }

    /**
     * A subscription to a uWSGI router, as given: parsed by the subscription client, which owns its syntax.
     *
     * @param key {@code subscribe-to} or {@code subscribe2}
     * @param value the value as written
     * @param source where it was given, for messages
     */
    public record Subscription(String key, String value, String source)
    {
    }

    // Written by OptionsReader and the Option table's appliers while reading, never after: see the class comment.
    /** What reading found wrong, entry by entry; {@link #validate()} adds the whole-configuration checks. */
    final List<String> problems = new ArrayList<>();
    final List<GatewayMount> gateways = new ArrayList<>();
    final List<Path> classpath = new ArrayList<>();
    final Set<String> notices = new LinkedHashSet<>();
    final List<ListenAddress> uwsgiSockets = new ArrayList<>();
    final List<ListenAddress> httpSockets = new ArrayList<>();
    final List<HttpsSocketSpec> httpsSockets = new ArrayList<>();
    final List<ListenAddress> fastcgiSockets = new ArrayList<>();
    FrontendSecret frontendSecret;
    final List<String> allowFrontends = new ArrayList<>();
    boolean insecureFrontend;
    final Map<String, String> mountEnvironments = new LinkedHashMap<>();
    final Map<String, String> jettyModules = new LinkedHashMap<>();
    /** The session-* keys as given; {@code session.SessionStoreSettings} checks them. */
    final Map<String, String> sessionSettings = new LinkedHashMap<>();
    final List<Mount> mounts = new ArrayList<>();
    /** Where each deployment was given, for the messages of {@link #validate()}. */
    final Map<Mount, String> mountSources = new IdentityHashMap<>();
    final Map<String, Path> realms = new LinkedHashMap<>();
    UwsgiConfig config;
    boolean socketGiven;
    boolean deploymentGiven;
    Mount war;
    String chmodSocket;
    String chmodSocketSource;
    String chownSocket;
    String chownSocketSource;
    int listen = DEFAULT_LISTEN;
    int acceptors = DEFAULT_ACCEPTORS;
    int bufferSize = DEFAULT_BUFFER_SIZE;
    int socketTimeout = DEFAULT_SOCKET_TIMEOUT_SECONDS;
    int threads = DEFAULT_THREADS;
    String environment;
    Path pidFile;
    boolean vacuum;
    String logFormat;
    boolean disableLogging;
    Path masterFifo;
    final List<Path> touchReload = new ArrayList<>();
    int harakiri;
    boolean needApp;
    /** KEY to VALUE, or KEY to null to remove it; in configuration order, a later one wins. */
    final Map<String, String> env = new LinkedHashMap<>();
    Path chdir;
    Path logTo;
    ListenAddress stats;
    boolean statsHttp;
    final List<Subscription> subscriptions = new ArrayList<>();
    int subscribeFreq = DEFAULT_SUBSCRIBE_FREQ;
    Path emperor;
    int emperorThrottle = DEFAULT_EMPEROR_THROTTLE_MILLIS;
    int emperorMaxThrottle = DEFAULT_EMPEROR_MAX_THROTTLE_MILLIS;
    int emperorFreq = DEFAULT_EMPEROR_FREQ_SECONDS;
    /** The command line's {@code --help}, {@code --stop} or {@code --reload}: no configuration is read then. */
    ControlCommand command;

    LauncherOptions()
    {
    }

    /**
     * Loads the configuration the way {@code uwsgi} reads its command line, with this process's environment.
     *
     * @param args the command line arguments
     * @return the options; problems found are reported by {@link #validate()}
     */
    public static LauncherOptions parse(String... args)
    {
        return parse(HostFacts.current(), args);
    }

    /**
     * @param facts the working directory and environment the configuration is read with
     * @param args the command line arguments
     * @return the options; problems found are reported by {@link #validate()}
     */
    public static LauncherOptions parse(HostFacts facts, String... args)
    {
        return OptionsReader.read(facts, args);
    }

    /**
     * Checks the options as a whole: everything {@link #parse(String...)} could not read, plus missing sockets or
     * WARs, files that do not exist, clashing context paths ({@code OptionsValidation}).
     *
     * @return every problem, one line each; empty when the options can be used
     */
    public List<String> validate()
    {
        return OptionsValidation.validate(this);
    }

    /**
     * @return the help text, generated from the option table ({@link Usage})
     */
    public static String usage()
    {
        return Usage.text();
    }

    /**
     * @return the command line's {@code --help}, {@code --stop PIDFILE} or {@code --reload PIDFILE}, if it is one
     */
    public Optional<ControlCommand> getCommand()
    {
        return Optional.ofNullable(command);
    }

    /**
     * @return true if {@code --help} or {@code -h} was given
     */
    public boolean isHelp()
    {
        return command != null && command.kind() == ControlCommand.Kind.HELP;
    }

    /**
     * @return true if {@code --show-config} (or {@code show-config = true}) was given
     */
    public boolean isShowConfig()
    {
        return config != null && config.isTrue("show-config");
    }

    /**
     * @return true if {@code --dry-run} was given: check the configuration, do not start
     */
    public boolean isDryRun()
    {
        return config != null && config.isTrue("dry-run");
    }

    /**
     * @return the loaded configuration in uWSGI's {@code --show-config} format, if it could be loaded
     */
    public Optional<String> showConfig()
    {
        return Optional.ofNullable(config).map(UwsgiConfig::showConfig);
    }

    /**
     * @return what the operator should know but that does not stop the start, once each: unknown keys (with a "did
     * you mean"), uWSGI options that are ignored here and why, values read differently from uWSGI
     */
    public List<String> getNotices()
    {
        return List.copyOf(notices);
    }

    /**
     * @return the pidfile to write once started, or null
     */
    public Path getPidFile()
    {
        return pidFile;
    }

    /**
     * @return whether to remove the pidfile when stopping ({@code vacuum})
     */
    public boolean isVacuum()
    {
        return vacuum;
    }

    /**
     * @return the pidfile of {@code --stop PIDFILE}: stop that instance instead of starting one; or null
     */
    public Path getStopPidFile()
    {
        return command != null && command.kind() == ControlCommand.Kind.STOP ? command.pidFile() : null;
    }

    /**
     * @return the pidfile of {@code --reload PIDFILE}: reload that instance instead of starting one; or null
     */
    public Path getReloadPidFile()
    {
        return command != null && command.kind() == ControlCommand.Kind.RELOAD ? command.pidFile() : null;
    }

    /**
     * @return the named pipe to read uWSGI's master-fifo commands from, or null
     */
    public Path getMasterFifo()
    {
        return masterFifo;
    }

    /**
     * @return the files whose modification time triggers a graceful reload
     */
    public List<Path> getTouchReload()
    {
        return Collections.unmodifiableList(touchReload);
    }

    /**
     * @return the uwsgi sockets, in configuration order
     */
    public List<ListenAddress> getUwsgiSockets()
    {
        return Collections.unmodifiableList(uwsgiSockets);
    }

    /**
     * @return the plain HTTP sockets, in configuration order
     */
    public List<ListenAddress> getHttpSockets()
    {
        return Collections.unmodifiableList(httpSockets);
    }

    /**
     * @return the HTTPS sockets ({@code https-socket}, {@code https}), in configuration order
     */
    public List<HttpsSocketSpec> getHttpsSockets()
    {
        return Collections.unmodifiableList(httpsSockets);
    }

    /**
     * @return the FastCGI sockets, in configuration order
     */
    public List<ListenAddress> getFastcgiSockets()
    {
        return Collections.unmodifiableList(fastcgiSockets);
    }

    /**
     * @return the var every uwsgi packet must carry ({@code frontend-secret}), or null
     */
    public FrontendSecret getFrontendSecret()
    {
        return frontendSecret;
    }

    /**
     * @return the blocks TCP uwsgi frontends may connect from ({@code allow-frontend}); empty for any
     */
    public List<String> getAllowFrontends()
    {
        return Collections.unmodifiableList(allowFrontends);
    }

    /**
     * @return whether a uwsgi socket on a non-loopback address may start without frontend trust ({@code insecure-frontend})
     */
    public boolean isInsecureFrontend()
    {
        return insecureFrontend;
    }

    /**
     * @return the environment given for a mount's context path with {@code mount-environment}
     */
    public Map<String, String> getMountEnvironments()
    {
        return Collections.unmodifiableMap(mountEnvironments);
    }

    /**
     * @return each {@code jetty-module} given, with how the launcher provides it
     */
    public Map<String, String> getJettyModules()
    {
        return Collections.unmodifiableMap(jettyModules);
    }

    /**
     * @return the {@code session-*} keys given, key to value, for {@code SessionStores.of}
     */
    public Map<String, String> getSessionSettings()
    {
        return Collections.unmodifiableMap(sessionSettings);
    }

    List<ListenAddress> getAllSockets()
    {
        List<ListenAddress> all = new ArrayList<>(uwsgiSockets);
        all.addAll(httpSockets);
        httpsSockets.forEach(spec -> all.add(spec.address()));
        all.addAll(fastcgiSockets);
        return all;
    }

    /**
     * @return the WARs to deploy: {@code war} at {@code /} first, then the {@code mount}s in configuration order
     */
    public List<Mount> getDeployments()
    {
        List<Mount> deployments = new ArrayList<>();
        if (war != null)
            deployments.add(war);
        deployments.addAll(mounts);
        return Collections.unmodifiableList(deployments);
    }

    /**
     * @return the gateway applications of {@code --app} and {@code --jwsgi}, in configuration order
     */
    public List<GatewayMount> getGateways()
    {
        return Collections.unmodifiableList(gateways);
    }

    /**
     * @return where the gateway applications' classes come from ({@code classpath}, {@code jvm-classpath})
     */
    public List<Path> getClasspath()
    {
        return Collections.unmodifiableList(classpath);
    }

    /**
     * @return the permission bits for Unix sockets, e.g. {@code "660"}, or null to leave the umask's
     */
    public String getChmodSocket()
    {
        return chmodSocket;
    }

    /**
     * @return the largest uwsgi vars block accepted, in bytes
     */
    public int getBufferSize()
    {
        return bufferSize;
    }

    /**
     * @return seconds a connection may wait for the bytes of its request ({@code socket-timeout})
     */
    public int getSocketTimeout()
    {
        return socketTimeout;
    }

    /**
     * @return realm name to properties file, in configuration order
     */
    public Map<String, Path> getRealms()
    {
        return Collections.unmodifiableMap(realms);
    }

    /**
     * @return the request log's {@code log-format}, or null for uWSGI's default line
     */
    public String getLogFormat()
    {
        return logFormat;
    }

    /**
     * @return true if {@code disable-logging} is on: no request log at all
     */
    public boolean isDisableLogging()
    {
        return disableLogging;
    }

    /**
     * @return the maximum number of request threads
     */
    public int getThreads()
    {
        return threads;
    }

    /**
     * @return the environment forced for every WAR, or null to detect it per WAR
     */
    public String getEnvironment()
    {
        return environment;
    }

    /**
     * @return seconds after which a running request is interrupted and answered 504 if uncommitted; 0 for never
     */
    public int getHarakiri()
    {
        return harakiri;
    }

    /**
     * @return true if the launcher must exit when no application starts ({@code need-app})
     */
    public boolean isNeedApp()
    {
        return needApp;
    }

    /**
     * @return the {@code env} variables to set, KEY to VALUE, or KEY to null to remove it, in configuration order
     */
    public Map<String, String> getEnv()
    {
        return Collections.unmodifiableMap(env);
    }

    /**
     * @return the {@code chdir} directory, against which the relative paths uWSGI reads after its chdir are already
     * resolved in the other getters; or null
     */
    public Path getChdir()
    {
        return chdir;
    }

    /**
     * @return the {@code logto} file, relative to the launch directory as in uWSGI (not to {@code chdir}), or null
     * for the terminal
     */
    public Path getLogTo()
    {
        return logTo;
    }

    /**
     * @return where to serve the stats document ({@code stats}), or null
     */
    public ListenAddress getStats()
    {
        return stats;
    }

    /**
     * @return true if the stats document is served as an HTTP response ({@code stats-http})
     */
    public boolean isStatsHttp()
    {
        return statsHttp;
    }

    /**
     * @return the {@code subscribe-to} and {@code subscribe2} values, in configuration order
     */
    public List<Subscription> getSubscriptions()
    {
        return Collections.unmodifiableList(subscriptions);
    }

    /**
     * @return seconds between two sends of the subscriptions
     */
    public int getSubscribeFreq()
    {
        return subscribeFreq;
    }

    /**
     * @return the vassals directory of {@code --emperor}, or null when this launcher serves applications itself
     */
    public Path getEmperor()
    {
        return emperor;
    }

    /**
     * @return the first wait before respawning a vassal that died, in milliseconds
     */
    public int getEmperorThrottle()
    {
        return emperorThrottle;
    }

    /**
     * @return the longest wait before respawning a vassal, in milliseconds
     */
    public int getEmperorMaxThrottle()
    {
        return emperorMaxThrottle;
    }

    /**
     * @return seconds between two scans of the vassals directory ({@code emperor-freq})
     */
    public int getEmperorFreq()
    {
        return emperorFreq;
    }

    /**
     * @return the owner for Unix sockets, {@code USER[:GROUP]}, or null to leave the process's
     */
    public String getChownSocket()
    {
        return chownSocket;
    }

    /**
     * @return the listen backlog of every socket ({@code listen})
     */
    public int getListen()
    {
        return listen;
    }

    /**
     * @return the acceptor threads of each uwsgi socket ({@code acceptors}), or -1 for the connector's default
     */
    public int getAcceptors()
    {
        return acceptors;
    }
}
