package io.github.jettyuwsgi.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.jettyuwsgi.launcher.session.SessionStoreException;
import io.github.jettyuwsgi.launcher.session.SessionStores;
import io.github.jettyuwsgi.launcher.stats.ListenBacklogs;
import io.github.jettyuwsgi.launcher.stats.StatsServer;
import io.github.jettyuwsgi.launcher.subscribe.SubscriptionClient;
import io.github.jettyuwsgi.uwsgi.UwsgiConfiguration;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector;
import io.github.jettyuwsgi.uwsgi.log.UwsgiRequestLog;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.jmx.MBeanContainer;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.HostPort;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds, without starting it, the Jetty server that {@link LauncherOptions} describe: the second step of the
 * launcher, between parsing and {@link Launcher} running the server.
 *
 * <pre>
 * Server
 *  +- connectors: ServerConnector(UwsgiConnectionFactory)       one per TCP --socket
 *  |              UwsgiUnixDomainConnector(UwsgiConnectionFactory) one per Unix --socket
 *  |              ServerConnector(HttpConnectionFactory)         one per --http-socket
 *  +- beans:      HashLoginService                               one per --realm
 *  |              DefaultSessionIdManager, session data store and cache factories (--session-store)
 *  +- requestLog: UwsgiRequestLog                                uWSGI's line or --log-format; none with --disable-logging
 *  +- handler:    GracefulHandler -> [HarakiriHandler, with --harakiri] -> [SessionStoreGuard, file or jdbc store] -> ReloadableApplications
 *                  -> StartedApplications (need-app) -> ContextHandlerCollection
 *                  -> per WAR: ApplicationStartGuard (503 if it did not start) -> EnvironmentScopedHandler
 *                              -> the context from its environment's WebAppDeployer
 *                     per --app/--jwsgi: the same, a GatewayServlet context of ee11 (ee10 if forced)
 * </pre>
 *
 * <p>Every connector shares one {@link HttpConfiguration}, so a request means the same over uwsgi and over HTTP. It
 * logs one line per socket bound and per WAR deployed, and says which environment each WAR got and why.</p>
 */
public final class ServerAssembler
{
    private static final Logger LOG = LoggerFactory.getLogger(ServerAssembler.class);
    /** Below this many request threads the pool keeps no reserved threads (see {@link #assemble()}). */
    private static final int SMALL_POOL_THREADS = 8;

    private final LauncherOptions options;
    private final EnvironmentLoader environments;

    /**
     * @param options validated options
     * @param environments where the WARs' environments come from
     */
    public ServerAssembler(LauncherOptions options, EnvironmentLoader environments)
    {
        this.options = options;
        this.environments = environments;
    }

    /**
     * @return the server, with its connectors and contexts, not started; it stops gracefully on SIGTERM
     * @throws UsageException if a WAR cannot work with the options given (e.g. it asks for a realm not given)
     * @throws Exception if an environment cannot create a context
     */
    public Server assemble() throws Exception
    {
        QueuedThreadPool threadPool = new QueuedThreadPool(options.getThreads());
        threadPool.setName("jetty-uwsgi");
        Server server = new Server(threadPool);

        warnIfBacklogCapped(options.getListen());
        HttpConfiguration httpConfiguration = newHttpConfiguration();
        UwsgiConfiguration uwsgiConfiguration = new UwsgiConfiguration();
        uwsgiConfiguration.setMaxVarsSize(options.getBufferSize());
        for (ListenAddress address : options.getUwsgiSockets())
        {
            server.addConnector(newConnector(server, "uwsgi", address, new UwsgiConnectionFactory(httpConfiguration, uwsgiConfiguration)));
        }
        for (ListenAddress address : options.getHttpSockets())
        {
            server.addConnector(newConnector(server, "http", address, new HttpConnectionFactory(httpConfiguration)));
        }

        // Jetty's security handlers look for a LoginService bean of the server named like the WAR's <realm-name>,
        // or take the only one when the WAR names none: exactly the rule the launcher promises.
        ResourceFactory resourceFactory = ResourceFactory.of(server);
        for (Map.Entry<String, Path> realm : options.getRealms().entrySet())
        {
            server.addBean(new HashLoginService(realm.getKey(), resourceFactory.newResource(realm.getValue().toAbsolutePath())));
        }

        // Jetty's session machinery as Server beans, which the contexts of every environment use
        SessionStores sessions = installSessionStores(server);

        // Requests in flight when SIGTERM arrives finish; new ones get 503 until the stop timeout.
        Handler applications = sessions.guard(new ReloadableApplications(newApplications()));
        // harakiri: outside the reloadable applications, so a request keeps its deadline across a reload
        if (options.getHarakiri() > 0)
            applications = new HarakiriHandler(options.getHarakiri(), applications);
        server.setHandler(new GracefulHandler(applications));
        // As uWSGI: one line per request unless disable-logging; the line goes to SLF4J like the rest of the log.
        if (!options.isDisableLogging())
            server.setRequestLog(new UwsgiRequestLog(options.getLogFormat()));
        // Jetty's own beans in the platform MBeanServer (jconsole, JMX exporters), for every launcher; InheritedListener
        // registers the whole tree, contexts deployed later by a reload included
        server.addBean(new MBeanContainer(ManagementFactory.getPlatformMBeanServer()));
        StatsServer.attach(server, options);
        SubscriptionClient.attach(server, options);
        // uWSGI's threads are request threads; Jetty's sockets lease their acceptor and selector threads from the same
        // pool (ThreadPoolBudget), so the pool gets those on top: threads = 4 still runs 4 requests at once.
        threadPool.setMaxThreads(options.getThreads() + socketThreads(server));
        // Jetty also budgets its reserved threads (which run requests too) as leased: with a handful of threads they
        // would leave none, so a small pool does without them.
        if (options.getThreads() < SMALL_POOL_THREADS)
            threadPool.setReservedThreads(0);
        server.setStopTimeout(LauncherOptions.STOP_TIMEOUT_MILLIS);
        server.setStopAtShutdown(true);
        return server;
    }

    private SessionStores installSessionStores(Server server) throws UsageException
    {
        List<ListenAddress> sockets = new ArrayList<>(options.getUwsgiSockets());
        sockets.addAll(options.getHttpSockets());
        try
        {
            SessionStores sessions = SessionStores.of(options.getSessionSettings(), sockets.isEmpty() ? null : sockets.get(0).toString(), options.getClasspath());
            sessions.install(server);
            return sessions;
        }
        catch (SessionStoreException x)
        {
            throw new UsageException(x.getProblems());
        }
    }

    /**
     * uWSGI refuses to start when {@code listen} exceeds the kernel's limit; the kernel silently caps the backlog, so a
     * warning says what the sockets really get.
     */
    private static void warnIfBacklogCapped(int listen)
    {
        OptionalInt somaxconn = ListenBacklogs.somaxconn();
        if (somaxconn.isPresent() && listen > somaxconn.getAsInt())
            LOG.warn("listen = {} is more than the kernel allows (net.core.somaxconn = {}): the sockets get a backlog of {}; raise it with sysctl", listen, somaxconn.getAsInt(), somaxconn.getAsInt());
    }

    /**
     * @return the threads the sockets will lease from the pool for accepting and selecting
     */
    static int socketThreads(Server server)
    {
        int threads = 0;
        for (AbstractConnector connector : server.getContainedBeans(AbstractConnector.class))
        {
            threads += connector.getAcceptors();
        }
        for (SelectorManager selectors : server.getContainedBeans(SelectorManager.class))
        {
            threads += selectors.getSelectorCount();
        }
        return threads;
    }

    /**
     * @return the contexts of every WAR of the options, not started: at start, and again for each reload
     * @throws UsageException if a WAR cannot work with the options given
     * @throws Exception if an environment cannot create a context
     */
    public Handler newApplications() throws Exception
    {
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        for (WebApp webApp : inspect(options.getDeployments()))
        {
            contexts.addHandler(deploy(webApp));
        }
        String environment = gatewayEnvironment();
        List<String> problems = new ArrayList<>();
        for (LauncherOptions.GatewayMount gateway : options.getGateways())
        {
            URLClassLoader classLoader = newApplicationClassLoader(environment);
            try
            {
                Class.forName(gateway.className(), false, classLoader);
                contexts.addHandler(deploy(gateway, environment, classLoader));
            }
            catch (ClassNotFoundException | LinkageError x)
            {
                classLoader.close();
                problems.add(gateway.source() + ": class " + gateway.className() + " not found on --classpath " +
                    options.getClasspath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)) +
                    (x instanceof ClassNotFoundException ? "" : " (" + x + ")") + " (expected: the application's classes in a directory or jar of --classpath)");
            }
        }
        if (!problems.isEmpty())
            throw new UsageException(problems);
        StatsServer.countPerApplication(contexts, options);
        return new StartedApplications(contexts, options.isNeedApp());
    }

    /**
     * @return the environment of the gateway applications: the one forced by {@code --environment}, else ee11
     */
    private String gatewayEnvironment()
    {
        return options.getEnvironment() == null ? "ee11" : options.getEnvironment();
    }

    /**
     * A fresh loader per application and per deployment, child of the environment's (which holds the adapter and the
     * Servlet API), so that a reload (SIGHUP) sees the classes as they are now on disk.
     */
    private URLClassLoader newApplicationClassLoader(String environment) throws MalformedURLException
    {
        List<URL> urls = new ArrayList<>();
        for (Path entry : options.getClasspath())
        {
            urls.add(entry.toAbsolutePath().normalize().toUri().toURL());
        }
        return new URLClassLoader("jetty-uwsgi-app", urls.toArray(URL[]::new), environments.getClassLoader(environment));
    }

    private Handler deploy(LauncherOptions.GatewayMount gateway, String environment, URLClassLoader classLoader) throws Exception
    {
        String contextPath = gateway.contextPath();
        String what = ("jwsgi".equals(gateway.kind()) ? "JWSGI application " : "gateway application ") + gateway.target();
        LOG.info("Deploying {} at {} in {}", what, contextPath, environment);
        WebAppDeployer deployer = environments.getDeployer(environment);
        GatewaySpec spec = new GatewaySpec(contextPath, classLoader, Map.of(gateway.kind(), gateway.target()));
        ContextHandler context = environments.callInEnvironment(environment, () -> deployer.newGatewayContext(spec));
        context.addEventListener(new LifeCycle.Listener()
        {
            @Override
            public void lifeCycleStarted(LifeCycle event)
            {
                LOG.info("Deployed {} at {} in {}", what, contextPath, environment);
            }

            @Override
            public void lifeCycleStopped(LifeCycle event)
            {
                // the jars of --classpath stay open otherwise, one set per reload
                IO.close(classLoader);
            }
        });
        return new ApplicationStartGuard(what + " at " + contextPath, new EnvironmentScopedHandler(environments.getClassLoader(environment), context));
    }

    private HttpConfiguration newHttpConfiguration()
    {
        HttpConfiguration httpConfiguration = new HttpConfiguration();
        // A backend behind a frontend has no reason to advertise its version to the world.
        httpConfiguration.setSendServerVersion(false);
        httpConfiguration.setSendXPoweredBy(false);
        // uWSGI's buffer-size limits the request head whatever the socket: the same headers that pass over uwsgi must
        // pass over the http-socket too (Jetty's own default is 8 KiB).
        httpConfiguration.setRequestHeaderSize(options.getBufferSize());
        return httpConfiguration;
    }

    private AbstractConnector newConnector(Server server, String kind, ListenAddress address, ConnectionFactory factory)
    {
        if (address.isUnix())
        {
            // Also for plain HTTP: the subclass only adds stale-socket removal and the socket mode.
            UwsgiUnixDomainConnector connector = new UwsgiUnixDomainConnector(server, factory);
            connector.setUnixDomainPath(address.getUnixPath());
            connector.setSocketMode(options.getChmodSocket());
            connector.setSocketOwner(options.getChownSocket());
            connector.setAcceptQueueSize(options.getListen());
            connector.addEventListener(new LifeCycle.Listener()
            {
                @Override
                public void lifeCycleStarted(LifeCycle event)
                {
                    LOG.info("{} socket bound: {} (mode {})", kind, address.getUnixPath(), describeMode(address.getUnixPath()));
                }
            });
            return connector;
        }

        if (address.isAllInterfaces())
            LOG.warn("{} socket {} listens on all interfaces: any host that reaches it can send requests{}; use 127.0.0.1:{} when the frontend runs on this machine",
                kind, address, "uwsgi".equals(kind) ? " with forged REMOTE_ADDR and HTTPS vars" : "", address.getPort());
        ServerConnector connector = new ServerConnector(server, factory);
        connector.setHost(address.getHost());
        connector.setPort(address.getPort());
        connector.setAcceptQueueSize(options.getListen());
        connector.addEventListener(new LifeCycle.Listener()
        {
            @Override
            public void lifeCycleStarted(LifeCycle event)
            {
                String host = address.getHost() == null ? "*" : HostPort.normalizeHost(address.getHost());
                LOG.info("{} socket bound: {}:{}{}", kind, host, connector.getLocalPort(), address.isAllInterfaces() ? " (all interfaces)" : "");
            }
        });
        return connector;
    }

    private static String describeMode(Path socket)
    {
        try
        {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(socket);
            int mode = 0;
            for (PosixFilePermission permission : permissions)
            {
                mode |= 1 << (8 - permission.ordinal());
            }
            return String.format("%03o", mode);
        }
        catch (IOException | UnsupportedOperationException x)
        {
            return "unknown";
        }
    }

    /**
     * A WAR about to be deployed, with what was learnt from it beforehand.
     */
    private record WebApp(LauncherOptions.Mount mount, Path war, EnvironmentDetector.Choice environment)
    {
    }

    /**
     * Reads every WAR's descriptor and chooses its environment before anything is created, so that all the mistakes a
     * user can fix are reported together.
     */
    private List<WebApp> inspect(List<LauncherOptions.Mount> mounts) throws UsageException
    {
        List<String> problems = new ArrayList<>();
        List<WebApp> webApps = new ArrayList<>();
        for (LauncherOptions.Mount mount : mounts)
        {
            Path war = mount.war().toAbsolutePath().normalize();
            String what = "WAR " + mount.war() + " at " + mount.contextPath();
            try
            {
                Optional<WebXml> webXml = WebXml.read(war);
                webXml.flatMap(descriptor -> checkRealm(what, descriptor)).ifPresent(problems::add);
                webApps.add(new WebApp(mount, war, EnvironmentDetector.choose(war, webXml, options.getEnvironment())));
            }
            catch (IllegalArgumentException | UncheckedIOException x)
            {
                problems.add(what + ": " + x.getMessage());
            }
        }
        if (!problems.isEmpty())
            throw new UsageException(problems);
        return webApps;
    }

    private Optional<String> checkRealm(String what, WebXml webXml)
    {
        if (!webXml.hasLoginConfig())
            return Optional.empty();
        Set<String> realms = options.getRealms().keySet();
        if (webXml.realmName() != null && !realms.contains(webXml.realmName()))
            return Optional.of(what + ": " + WebXml.PATH + " asks for realm '" + webXml.realmName() + "' (expected: --realm " + webXml.realmName() + "=FILE" +
                (realms.isEmpty() ? ")" : "; given: " + String.join(", ", realms) + ")"));
        if (webXml.realmName() == null && realms.size() != 1)
            return Optional.of(what + ": " + WebXml.PATH + " has a login-config without realm-name, so it needs exactly one --realm (given: " + realms.size() + ")");
        return Optional.empty();
    }

    private Handler deploy(WebApp webApp) throws Exception
    {
        String environment = webApp.environment().environment();
        String contextPath = webApp.mount().contextPath();
        LOG.info("Deploying {} at {} in {}: {}", webApp.war().getFileName(), contextPath, environment, webApp.environment().reason());
        WebAppDeployer deployer = environments.getDeployer(environment);
        ContextHandler context = environments.callInEnvironment(environment, () -> deployer.newContext(new WebAppSpec(contextPath, webApp.war())));
        context.addEventListener(new LifeCycle.Listener()
        {
            @Override
            public void lifeCycleStarted(LifeCycle event)
            {
                LOG.info("Deployed {} at {} in {}", webApp.war().getFileName(), contextPath, environment);
            }
        });
        return new ApplicationStartGuard("WAR " + webApp.war().getFileName() + " at " + contextPath,
            new EnvironmentScopedHandler(environments.getClassLoader(environment), context));
    }

    /**
     * Runs the start, stop and destroy of one context with its environment's class loader as the thread context class
     * loader. Jetty's contexts do that for their own start, but not everything around it does: the shutdown hook
     * stops and destroys them from a thread of the core, where JNDI (whose {@code jndi.properties} lives in
     * {@code lib/eeN}) would not be found. Requests need nothing: each context sets its class loader itself.
     */
    private static final class EnvironmentScopedHandler extends Handler.Wrapper
    {
        private final ClassLoader classLoader;

        private EnvironmentScopedHandler(ClassLoader classLoader, Handler context)
        {
            super(context);
            this.classLoader = classLoader;
        }

        @Override
        protected void doStart() throws Exception
        {
            ClassLoader previous = enter();
            try
            {
                super.doStart();
            }
            finally
            {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }

        @Override
        protected void doStop() throws Exception
        {
            ClassLoader previous = enter();
            try
            {
                super.doStop();
            }
            finally
            {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }

        @Override
        public void destroy()
        {
            ClassLoader previous = enter();
            try
            {
                super.destroy();
            }
            finally
            {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }

        private ClassLoader enter()
        {
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(classLoader);
            return previous;
        }
    }
}
