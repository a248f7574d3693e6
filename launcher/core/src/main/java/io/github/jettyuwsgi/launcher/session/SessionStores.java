package io.github.jettyuwsgi.launcher.session;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionDataStoreFactory;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.FileSessionDataStoreFactory;
import org.eclipse.jetty.session.HouseKeeper;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.JDBCSessionDataStoreFactory;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts Jetty's own session machinery ({@code jetty-session}) on a server as {@link SessionStoreSettings} describe it:
 * a {@link DefaultSessionIdManager} with the instance's worker name and scavenging interval, and for a file or JDBC
 * store the data store factory and the cache factory, all as Server beans. Every context of every environment (ee8,
 * ee10, ee11) looks for those beans when its session handler starts, so one configuration serves every WAR.
 *
 * <p>A JDBC store is checked here, before the server starts: the driver is loaded, the database is connected to and
 * the session table is created if it is missing; any failure is a {@link SessionStoreException} naming the option,
 * which the launcher reports without a stack trace. The applications are then wrapped in a {@link SessionStoreGuard},
 * which turns a store failure at run time into a 503.</p>
 */
public final class SessionStores
{
    private static final Logger LOG = LoggerFactory.getLogger(SessionStores.class);

    /** The most connections one instance holds to the session database. */
    static final int POOL_SIZE = 10;
    /** The longest a request waits for a connection to the session database before it is answered 503. */
    static final long POOL_WAIT_MILLIS = 5000;
    /** The longest the pool waits for its first connection at start. */
    static final long POOL_START_MILLIS = 60_000;

    private final SessionStoreSettings settings;

    public SessionStores(SessionStoreSettings settings)
    {
        this.settings = settings;
    }

    /**
     * @param values the {@code session-*} keys given
     * @param socket the first socket of this instance, for the default worker name; null if it has none
     * @param classpath the launcher's {@code --classpath}, where the JDBC driver is looked for by default
     * @return the session stores of these values on this host
     * @throws SessionStoreException naming every key whose value is wrong
     */
    public static SessionStores of(Map<String, String> values, String socket, List<Path> classpath) throws SessionStoreException
    {
        return new SessionStores(SessionStoreSettings.parse(values, hostName(), socket, classpath));
    }

    private static String hostName()
    {
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException x)
        {
            return "localhost";
        }
    }

    /**
     * Adds the session beans to a server that is not started yet.
     *
     * @param server the server
     * @throws SessionStoreException if the store cannot be used: driver, URL, database, directory
     */
    public void install(Server server) throws SessionStoreException
    {
        DefaultSessionIdManager ids = new DefaultSessionIdManager(server);
        ids.setWorkerName(settings.workerName());
        HouseKeeper houseKeeper = new HouseKeeper();
        try
        {
            houseKeeper.setIntervalSec(settings.scavengeSeconds());
        }
        catch (Exception x)
        {
            throw new SessionStoreException(SessionStoreSettings.SCAVENGE + ": " + settings.scavengeSeconds() + ": " + x.getMessage(), x);
        }
        ids.setSessionHouseKeeper(houseKeeper);
        server.addBean(ids, true);
        if (!settings.isPersistent())
        {
            LOG.info("sessions: memory (lost when this instance stops), worker {}", settings.workerName());
            return;
        }

        AbstractSessionDataStoreFactory storeFactory = settings.kind().equals("file") ? newFileStore() : newJdbcStore(server);
        // flush on commit: the cache writes a session before the response when it is due (GuardedSessionCache), so the
        // store must never write an unchanged one at the end of the request, after another instance may have served
        // the next. On exit: always, or when changed and now and then so that the other instances see it in use.
        storeFactory.setSavePeriodSec(settings.flushOnCommit() ? Integer.MAX_VALUE : settings.saveAlways() ? 0 : SessionStoreSettings.CHANGED_SAVE_PERIOD_SECONDS);
        server.addBean(storeFactory);

        GuardedSessionCache.Factory cacheFactory = new GuardedSessionCache.Factory(settings.saveAlways());
        // no cache: every request reads the store, so that what another instance wrote is seen at once
        cacheFactory.setEvictionPolicy(settings.cacheSeconds() == 0 ? SessionCache.EVICT_ON_SESSION_EXIT : settings.cacheSeconds());
        cacheFactory.setSaveOnInactiveEviction(true);
        cacheFactory.setFlushOnResponseCommit(settings.flushOnCommit());
        cacheFactory.setRemoveUnloadableSessions(true);
        server.addBean(cacheFactory);
        LOG.info("sessions: {} store {}, worker {}, save {}, flush on {}, cache {}", settings.kind(), settings.describe(), settings.workerName(),
            settings.saveAlways() ? "always" : "changed", settings.flushOnCommit() ? "commit" : "exit", settings.cacheSeconds() == 0 ? "none" : settings.cacheSeconds() + " s");
    }

    /**
     * @param applications the handler of every deployed application
     * @return the handler to put in their place: a {@link SessionStoreGuard} for a file or JDBC store, else them
     */
    public Handler guard(Handler applications)
    {
        return settings.isPersistent() ? new SessionStoreGuard(settings.describe(), applications) : applications;
    }

    private FileSessionDataStoreFactory newFileStore() throws SessionStoreException
    {
        Path directory = Path.of(settings.target()).toAbsolutePath().normalize();
        try
        {
            Files.createDirectories(directory);
        }
        catch (IOException x)
        {
            throw new SessionStoreException(SessionStoreSettings.STORE + ": file:" + settings.target() + ": cannot create the directory: " + x.getMessage() +
                " (expected: a directory this user can write)", x);
        }
        if (!Files.isWritable(directory))
            throw new SessionStoreException(List.of(SessionStoreSettings.STORE + ": file:" + settings.target() + ": directory not writable (expected: a directory this user can write)"));
        // Jetty's own file store knows only the files it saw at start and wrote itself: not a shared directory
        FileSessionDataStoreFactory factory = new SharedFileSessionDataStore.Factory();
        factory.setStoreDir(directory.toFile());
        factory.setDeleteUnrestorableFiles(true);
        return factory;
    }

    private JDBCSessionDataStoreFactory newJdbcStore(Server server) throws SessionStoreException
    {
        DriverDataSource dataSource = new DriverDataSource(loadDriver(), settings.target());
        JDBCSessionDataStore.SessionTableSchema schema = new JDBCSessionDataStore.SessionTableSchema();
        schema.setTableName(settings.table());
        if (settings.schema() != null)
            schema.setSchemaName(settings.schema());
        // straight through the driver: a database that is not there fails here at once, with the driver's own message
        createTable(adaptor(dataSource), schema);
        HikariDataSource pool;
        try
        {
            pool = pool(dataSource);
        }
        catch (RuntimeException x)
        {
            throw new SessionStoreException(SessionStoreSettings.STORE + ": " + settings.describe() + ": cannot use the database: " + describe(x) +
                " (expected: a database that is up and reachable)", x);
        }
        server.addEventListener(new LifeCycle.Listener()
        {
            @Override
            public void lifeCycleStopped(LifeCycle event)
            {
                pool.close();
            }
        });
        JDBCSessionDataStoreFactory factory = new JDBCSessionDataStoreFactory();
        factory.setDatabaseAdaptor(adaptor(pool));
        factory.setSessionTableSchema(schema);
        return factory;
    }

    private static DatabaseAdaptor adaptor(DataSource dataSource)
    {
        DatabaseAdaptor adaptor = new DatabaseAdaptor();
        adaptor.setDatasource(dataSource);
        return adaptor;
    }

    /**
     * The connections of the sessions: Jetty's store takes one for every load and every write, and opening one costs
     * far more than the query (PostgreSQL starts a process for each). The pool fills on demand, checks a connection
     * idle for a while before lending it and drops one that failed with a connection error, so after a database
     * restart the requests get fresh connections; while the database is down, a request waits at most
     * {@link #POOL_WAIT_MILLIS} for one and is then answered 503. The first connection is opened at once.
     */
    private HikariDataSource pool(DataSource dataSource)
    {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sessions");
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(POOL_WAIT_MILLIS);
        config.setValidationTimeout(POOL_WAIT_MILLIS / 2);
        // the database answered a moment ago: the first connection is made now, however long a busy machine takes,
        // so that the contexts' stores, which read the database's metadata when they start, find it in the pool
        config.setInitializationFailTimeout(POOL_START_MILLIS);
        return new HikariDataSource(config);
    }

    /**
     * Connects once and creates the session table if it is missing, as each context's store would when it starts,
     * but here, where a failure can still stop the launcher with a clear message.
     */
    private void createTable(DatabaseAdaptor adaptor, JDBCSessionDataStore.SessionTableSchema schema) throws SessionStoreException
    {
        try
        {
            try
            {
                newJdbcStore(adaptor, schema).initialize();
            }
            catch (SQLException x)
            {
                // instances of a fleet that start together race to create the table: the loser finds it made now
                LOG.debug("creating the session table failed once, trying again", x);
                newJdbcStore(adaptor, schema).initialize();
            }
        }
        catch (Exception x)
        {
            throw new SessionStoreException(SessionStoreSettings.STORE + ": " + settings.describe() + ": cannot use the database: " + describe(x) +
                " (expected: a database that is up, reachable, and where this user may create table " + settings.table() + ")", x);
        }
    }

    private static JDBCSessionDataStore newJdbcStore(DatabaseAdaptor adaptor, JDBCSessionDataStore.SessionTableSchema schema)
    {
        JDBCSessionDataStore store = new JDBCSessionDataStore();
        store.setDatabaseAdaptor(adaptor);
        store.setSessionTableSchema(schema);
        return store;
    }

    private Driver loadDriver() throws SessionStoreException
    {
        List<URL> urls = new ArrayList<>();
        for (Path entry : settings.driverClasspath())
        {
            if (!Files.isReadable(entry))
                throw new SessionStoreException(List.of(SessionStoreSettings.DRIVER_CLASSPATH + ": " + entry + " does not exist or is not readable (expected: the JDBC driver's jar)"));
            try
            {
                urls.add(entry.toAbsolutePath().normalize().toUri().toURL());
            }
            catch (MalformedURLException x)
            {
                throw new SessionStoreException(SessionStoreSettings.DRIVER_CLASSPATH + ": " + entry + ": " + x.getMessage(), x);
            }
        }
        // lives as long as the process: the driver's connections are opened until the server stops
        ClassLoader loader = urls.isEmpty() ? SessionStores.class.getClassLoader() : new URLClassLoader("jetty-uwsgi-jdbc", urls.toArray(URL[]::new), SessionStores.class.getClassLoader());
        String where = urls.isEmpty() ? "the launcher's class path (no --classpath or --session-driver-classpath given)" :
            settings.driverClasspath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        if (settings.driverClass() != null)
        {
            try
            {
                Object driver = Class.forName(settings.driverClass(), true, loader).getDeclaredConstructor().newInstance();
                if (!(driver instanceof Driver jdbcDriver))
                    throw new SessionStoreException(List.of(SessionStoreSettings.DRIVER + ": " + settings.driverClass() + " is not a java.sql.Driver (expected: the driver class of the JDBC jar)"));
                if (!jdbcDriver.acceptsURL(settings.target()))
                    throw new SessionStoreException(List.of(SessionStoreSettings.STORE + ": " + settings.describe() + ": driver " + settings.driverClass() + " does not accept this URL (expected: a URL of that driver, e.g. jdbc:postgresql://HOST:PORT/DB)"));
                return jdbcDriver;
            }
            catch (ReflectiveOperationException | LinkageError | SQLException x)
            {
                throw new SessionStoreException(SessionStoreSettings.DRIVER + ": " + settings.driverClass() + " cannot be loaded from " + where + ": " + describe(x) +
                    " (expected: the driver's jar in --session-driver-classpath or --classpath)", x);
            }
        }
        try
        {
            for (Driver driver : ServiceLoader.load(Driver.class, loader))
            {
                if (driver.acceptsURL(settings.target()))
                    return driver;
            }
        }
        catch (ServiceConfigurationError | SQLException x)
        {
            throw new SessionStoreException(SessionStoreSettings.STORE + ": " + settings.describe() + ": a JDBC driver of " + where + " cannot be loaded: " + describe(x), x);
        }
        throw new SessionStoreException(List.of(SessionStoreSettings.STORE + ": " + settings.describe() + ": no JDBC driver for this URL in " + where +
            " (expected: the driver's jar, e.g. postgresql-42.7.jar, in --session-driver-classpath or --classpath)"));
    }

    /**
     * @return the messages of a failure and its causes, each once, first lines only, passwords hidden
     */
    static String describe(Throwable failure)
    {
        StringBuilder description = new StringBuilder();
        for (Throwable cause = failure; cause != null && cause != cause.getCause(); cause = cause.getCause())
        {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            message = SessionStoreSettings.redact(message.lines().findFirst().orElse(""));
            if (description.indexOf(message) >= 0)
                continue;
            if (!description.isEmpty())
                description.append(": ");
            description.append(message);
        }
        return description.toString();
    }
}
