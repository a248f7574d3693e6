package io.github.jettyuwsgi.launcher.stats;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;

import static io.github.jettyuwsgi.launcher.stats.StatsTestServer.array;
import static io.github.jettyuwsgi.launcher.stats.StatsTestServer.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What uWSGI's monitoring tools read from the stats document, key by key, checked against ours. Neither tool can be
 * installed here (no PyPI, no Go module proxy, no Debian package), so the contract is taken from their sources:
 *
 * <ul>
 * <li>xrmx/uwsgitop, file {@code uwsgitop} (version 0.12, commit 41e7ace): reads the raw socket to EOF, or an
 * {@code http://} address with urllib; formats {@code uid}, {@code gid}, {@code pid} with {@code %d}; per worker
 * {@code id}, {@code pid}, {@code requests}, {@code exceptions}, {@code signals} with {@code %d}, {@code avg_rt / 1000},
 * {@code running_time / 1000}, {@code human_size(rss, vsz, tx)}, {@code time.localtime(last_spawn)},
 * {@code status.startswith(...)}, {@code respawn_count}, {@code harakiri_count}; per core {@code id},
 * {@code requests}, {@code in_request}; {@code version}, {@code listen_queue}, {@code cwd} at the top.</li>
 * <li>timonwong/uwsgi_exporter (commit 8e50e1b): {@code pkg/collector/stats.go} unmarshals with Go's
 * {@code encoding/json} into structs whose numeric fields are {@code int} or {@code int64}, so each of those keys must
 * be a JSON integer (a fraction or a string fails the whole scrape); {@code pkg/collector/exporter.go} skips workers
 * whose {@code id} is 0; {@code pkg/collector/reader_http.go} requires status 200 and a Content-Type of exactly
 * {@code application/json}.</li>
 * </ul>
 */
public class StatsReadersContractTest
{
    private enum Type
    {
        INTEGER, STRING, ARRAY
    }

    private static final Map<String, Type> TOP = new LinkedHashMap<>();
    private static final Map<String, Type> SOCKET = new LinkedHashMap<>();
    private static final Map<String, Type> WORKER = new LinkedHashMap<>();
    private static final Map<String, Type> APP = new LinkedHashMap<>();
    private static final Map<String, Type> CORE = new LinkedHashMap<>();

    static
    {
        // UwsgiStats (stats.go); uwsgitop: version, listen_queue, cwd, uid, gid, pid, workers
        TOP.put("version", Type.STRING);
        TOP.put("listen_queue", Type.INTEGER);
        TOP.put("listen_queue_errors", Type.INTEGER);
        TOP.put("signal_queue", Type.INTEGER);
        TOP.put("load", Type.INTEGER);
        TOP.put("pid", Type.INTEGER);
        TOP.put("uid", Type.INTEGER);
        TOP.put("gid", Type.INTEGER);
        TOP.put("cwd", Type.STRING);
        TOP.put("sockets", Type.ARRAY);
        TOP.put("workers", Type.ARRAY);
        // UwsgiSocket
        SOCKET.put("name", Type.STRING);
        SOCKET.put("proto", Type.STRING);
        SOCKET.put("queue", Type.INTEGER);
        SOCKET.put("max_queue", Type.INTEGER);
        SOCKET.put("shared", Type.INTEGER);
        SOCKET.put("can_offload", Type.INTEGER);
        // UwsgiWorker; uwsgitop reads all of these but accepting, delta_requests and signal_queue
        for (String key : new String[]{"id", "pid", "accepting", "requests", "delta_requests", "exceptions", "harakiri_count",
            "signals", "signal_queue", "rss", "vsz", "running_time", "last_spawn", "respawn_count", "tx", "avg_rt"})
        {
            WORKER.put(key, Type.INTEGER);
        }
        WORKER.put("status", Type.STRING);
        WORKER.put("apps", Type.ARRAY);
        WORKER.put("cores", Type.ARRAY);
        // UwsgiApp
        APP.put("id", Type.INTEGER);
        APP.put("modifier1", Type.INTEGER);
        APP.put("mountpoint", Type.STRING);
        APP.put("startup_time", Type.INTEGER);
        APP.put("requests", Type.INTEGER);
        APP.put("exceptions", Type.INTEGER);
        APP.put("chdir", Type.STRING);
        // UwsgiCore ([]string vars); uwsgitop: id, requests, in_request
        for (String key : new String[]{"id", "requests", "static_requests", "routed_requests", "offloaded_requests", "write_errors",
            "read_errors", "in_request"})
        {
            CORE.put(key, Type.INTEGER);
        }
        CORE.put("vars", Type.ARRAY);
    }

    @Test
    public void testRawDocument() throws Exception
    {
        try (StatsTestServer test = new StatsTestServer("--stats", "127.0.0.1:0"))
        {
            serveSomeRequests(test);
            check(test.document());
        }
    }

    @Test
    public void testHttpDocumentAsTheExporterReadsIt() throws Exception
    {
        try (StatsTestServer test = new StatsTestServer("--stats", "127.0.0.1:0", "--stats-http"))
        {
            serveSomeRequests(test);
            // what Go's http.Client sends for a GET
            String response = StatsTestServer.exchange(test.statsPort(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n\r\n");
            int end = response.indexOf("\r\n\r\n");
            String head = response.substring(0, end);
            assertTrue(head.startsWith("HTTP/1.0 200 "), head);
            assertTrue(head.lines().anyMatch(line -> line.equals("Content-Type: application/json")), head);
            check(object(new JSON().fromJSON(response.substring(end + 4))));
        }
    }

    private static void serveSomeRequests(StatsTestServer test) throws Exception
    {
        test.get("/ok");
        test.get("/shop/ok");
        test.get("/shop/fail");
        test.awaitQuiet();
    }

    private static void check(Map<String, Object> document)
    {
        check("", TOP, document);
        for (Object socket : array(document.get("sockets")))
        {
            check("sockets[].", SOCKET, object(socket));
        }
        Object[] workers = array(document.get("workers"));
        assertTrue(workers.length > 0);
        for (Object element : workers)
        {
            Map<String, Object> worker = object(element);
            check("workers[].", WORKER, worker);
            assertTrue((Long)worker.get("id") != 0, "the exporter skips a worker with id 0");
            Object[] apps = array(worker.get("apps"));
            assertTrue(apps.length > 0);
            for (Object app : apps)
            {
                check("workers[].apps[].", APP, object(app));
            }
            Object[] cores = array(worker.get("cores"));
            assertTrue(cores.length > 0);
            for (Object core : cores)
            {
                check("workers[].cores[].", CORE, object(core));
                for (Object variable : array(object(core).get("vars")))
                {
                    assertTrue(variable instanceof String, "vars is a []string: " + variable);
                }
            }
        }
    }

    private static void check(String path, Map<String, Type> contract, Map<String, Object> object)
    {
        for (Map.Entry<String, Type> key : contract.entrySet())
        {
            Object value = object.get(key.getKey());
            if (value == null)
                fail(path + key.getKey() + ": missing (expected: a " + key.getValue() + ")");
            Type actual = value instanceof Long ? Type.INTEGER : value instanceof String ? Type.STRING : value instanceof Object[] ? Type.ARRAY : null;
            assertEquals(key.getValue(), actual, () -> path + key.getKey() + ": " + value + " (" + value.getClass().getSimpleName() + ")");
        }
    }
}
