package io.github.jettyuwsgi.launcher.session;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Where the HTTP sessions of every deployed application are kept, and how, read from plain option values
 * ({@code session-store}, {@code session-worker}, ...): the first step of the session stores, before
 * {@link SessionStores} builds Jetty's session machinery from it. Every value is checked here, so that a mistake is
 * reported with the option it came from, as "session-cache: 'x' (expected: ...)".
 *
 * @param kind memory (Jetty's default: sessions live and die with the process), file or jdbc
 * @param target the directory of the file store, the JDBC URL of the jdbc store; empty for memory
 * @param workerName the suffix of this instance's session ids, unique in the fleet
 * @param saveAlways true: the session is written at the end of every request that used it; false: when an attribute
 * changed, and at least every {@link #CHANGED_SAVE_PERIOD_SECONDS} s so that the other instances see it in use
 * @param flushOnCommit true: a changed session is written before the response is committed, so that the next request,
 * on any instance, sees the change
 * @param cacheSeconds 0: no cache, every request reads the store (the right thing for a fleet); N: a session stays in
 * memory until N s after its last request
 * @param table the JDBC table, created at start if missing
 * @param schema the JDBC schema of the table; null for the connection's default
 * @param scavengeSeconds how often expired sessions are looked for and removed
 * @param driverClass the JDBC driver class; null to take the driver of the class path that accepts the URL
 * @param driverClasspath the jars the JDBC driver is loaded from
 */
public record SessionStoreSettings(String kind, String target, String workerName, boolean saveAlways, boolean flushOnCommit, int cacheSeconds,
                                   String table, String schema, int scavengeSeconds, String driverClass, List<Path> driverClasspath)
{
    /** The option that chooses the store; the other keys are the {@code session-*} keys of {@link #parse}. */
    public static final String STORE = "session-store";
    public static final String WORKER = "session-worker";
    public static final String SAVE = "session-save";
    public static final String FLUSH = "session-flush";
    public static final String CACHE = "session-cache";
    public static final String TABLE = "session-table";
    public static final String SCHEMA = "session-schema";
    public static final String SCAVENGE = "session-scavenge";
    public static final String DRIVER = "session-driver";
    public static final String DRIVER_CLASSPATH = "session-driver-classpath";
    /** Every key {@link #parse} reads. */
    public static final Set<String> KEYS = Set.of(STORE, WORKER, SAVE, FLUSH, CACHE, TABLE, SCHEMA, SCAVENGE, DRIVER, DRIVER_CLASSPATH);
    /** With {@code session-save = changed}: the longest time between two writes of a session that did not change. */
    public static final int CHANGED_SAVE_PERIOD_SECONDS = 60;
    /** Jetty's own default table name (jetty-home's session-store-jdbc module uses it too). */
    public static final String DEFAULT_TABLE = "JettySessions";
    /** Jetty's HouseKeeper default. */
    public static final int DEFAULT_SCAVENGE_SECONDS = 600;

    /** Jetty puts the worker name in front of every session id, and the JDBC table keeps it in 60 characters. */
    private static final int MAX_WORKER = 30;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern NOT_WORKER = Pattern.compile("[^A-Za-z0-9_]+");

    /**
     * @return the memory store, Jetty's default, with the worker name of this host and socket
     */
    public static SessionStoreSettings memory(String workerName)
    {
        return new SessionStoreSettings("memory", "", workerName, true, true, 0, DEFAULT_TABLE, null, DEFAULT_SCAVENGE_SECONDS, null, List.of());
    }

    /**
     * @param values the {@code session-*} keys given (absent keys take their defaults); the last value of a key wins
     * @param host this machine's name, for the default worker name
     * @param socket the first socket this instance listens on (e.g. "127.0.0.1:3031", "/run/app.sock"), for the
     * default worker name; null when it has none
     * @param classpath the launcher's {@code --classpath}, where the JDBC driver is looked for when
     * {@code session-driver-classpath} is not given
     * @return the settings
     * @throws SessionStoreException naming every key whose value is wrong
     */
    public static SessionStoreSettings parse(Map<String, String> values, String host, String socket, List<Path> classpath) throws SessionStoreException
    {
        List<String> problems = new ArrayList<>();
        Map<String, String> given = new LinkedHashMap<>(values);
        for (String key : given.keySet())
        {
            if (!KEYS.contains(key))
                problems.add(key + ": not a session key (expected one of: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
        }

        String store = given.getOrDefault(STORE, "memory").trim();
        String kind;
        String target;
        if (store.equals("memory"))
        {
            kind = "memory";
            target = "";
        }
        else if (store.startsWith("file:") && store.length() > "file:".length())
        {
            kind = "file";
            target = store.substring("file:".length());
        }
        else if (store.startsWith("jdbc:") && store.indexOf(':', "jdbc:".length()) > "jdbc:".length())
        {
            kind = "jdbc";
            target = store;
        }
        else
        {
            kind = "memory";
            target = "";
            problems.add(STORE + ": '" + redact(store) + "' (expected: memory, file:DIR or jdbc:URL, e.g. jdbc:postgresql://127.0.0.1:5432/app?user=app)");
        }

        String workerName = given.containsKey(WORKER) ? given.get(WORKER).trim() : defaultWorkerName(host, socket);
        if (!workerName.matches("[A-Za-z0-9_]{1," + MAX_WORKER + "}"))
            problems.add(WORKER + ": '" + workerName + "' (expected: 1 to " + MAX_WORKER + " letters, digits or _, unique in the fleet)");

        boolean saveAlways = true;
        String save = given.getOrDefault(SAVE, "always").trim().toLowerCase(Locale.ROOT);
        if (save.equals("changed"))
            saveAlways = false;
        else if (!save.equals("always"))
            problems.add(SAVE + ": '" + save + "' (expected: always or changed)");

        boolean flushOnCommit = true;
        String flush = given.getOrDefault(FLUSH, "commit").trim().toLowerCase(Locale.ROOT);
        if (flush.equals("exit"))
            flushOnCommit = false;
        else if (!flush.equals("commit"))
            problems.add(FLUSH + ": '" + flush + "' (expected: commit, to write a changed session before the response is sent, or exit, after it)");

        int cacheSeconds = 0;
        String cache = given.getOrDefault(CACHE, "none").trim().toLowerCase(Locale.ROOT);
        if (!cache.equals("none"))
            cacheSeconds = seconds(CACHE, cache, "none, or the seconds a session stays in memory after its last request", problems);

        String table = given.getOrDefault(TABLE, DEFAULT_TABLE).trim();
        if (!NAME.matcher(table).matches())
            problems.add(TABLE + ": '" + table + "' (expected: an SQL name of letters, digits and _)");
        String schema = given.containsKey(SCHEMA) ? given.get(SCHEMA).trim() : null;
        if (schema != null && !NAME.matcher(schema).matches())
            problems.add(SCHEMA + ": '" + schema + "' (expected: an SQL name of letters, digits and _)");

        int scavengeSeconds = DEFAULT_SCAVENGE_SECONDS;
        if (given.containsKey(SCAVENGE))
            scavengeSeconds = seconds(SCAVENGE, given.get(SCAVENGE).trim(), "the seconds between two searches for expired sessions", problems);

        String driverClass = given.containsKey(DRIVER) ? given.get(DRIVER).trim() : null;
        List<Path> driverClasspath = classpath;
        if (given.containsKey(DRIVER_CLASSPATH))
            driverClasspath = splitPath(given.get(DRIVER_CLASSPATH));

        if (!problems.isEmpty())
            throw new SessionStoreException(problems);
        return new SessionStoreSettings(kind, target, workerName, saveAlways, flushOnCommit, cacheSeconds, table, schema, scavengeSeconds, driverClass, List.copyOf(driverClasspath));
    }

    /**
     * @return the worker name of an instance on this host and socket: the host's first label, up to 16 characters,
     * and a hash of the socket, e.g. "web1_1k2x9qf"; two instances cannot listen on the same socket of one host, so
     * no two instances of a fleet share one. Short, because Jetty starts every session id with it and keeps it in a
     * column of 60 characters of the JDBC table.
     */
    public static String defaultWorkerName(String host, String socket)
    {
        String shortHost = host == null || host.isBlank() ? "localhost" : host.split("\\.", 2)[0];
        shortHost = NOT_WORKER.matcher(shortHost).replaceAll("_");
        if (shortHost.length() > 16)
            shortHost = shortHost.substring(0, 16);
        if (socket == null)
            return shortHost;
        CRC32 crc = new CRC32();
        crc.update(socket.getBytes(StandardCharsets.UTF_8));
        return shortHost + "_" + Long.toString(crc.getValue(), 36);
    }

    /**
     * @return true if sessions go to a store outside the process (file or jdbc)
     */
    public boolean isPersistent()
    {
        return !kind.equals("memory");
    }

    /**
     * @return the store as the user gave it, with a password in a JDBC URL replaced by ***
     */
    public String describe()
    {
        return kind.equals("memory") ? "memory" : kind.equals("file") ? "file:" + target : redact(target);
    }

    /**
     * @return the value, with the password of a JDBC URL (password=..., or user:password@ in the authority) hidden
     */
    static String redact(String value)
    {
        return value.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(//[^/:@]*:)[^/@]*@", "$1***@");
    }

    private static int seconds(String key, String value, String expected, List<String> problems)
    {
        try
        {
            int seconds = Integer.parseInt(value);
            if (seconds > 0)
                return seconds;
        }
        catch (NumberFormatException x)
        {
            // reported below, as a value out of range is
        }
        problems.add(key + ": '" + value + "' (expected: " + expected + ", a whole number above 0)");
        return 1;
    }

    private static List<Path> splitPath(String value)
    {
        List<Path> paths = new ArrayList<>();
        for (String entry : value.split(java.io.File.pathSeparator))
        {
            if (!entry.isBlank())
                paths.add(Path.of(entry.trim()));
        }
        return paths;
    }
}
