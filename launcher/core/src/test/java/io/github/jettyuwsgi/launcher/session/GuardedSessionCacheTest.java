package io.github.jettyuwsgi.launcher.session;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionDataStore;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.SessionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two instances of a fleet, each with its {@link GuardedSessionCache} in "no cache" mode with flush on commit, over one
 * shared store (a map standing in for the database table): what one instance wrote is what the other reads next,
 * also while a request of the first, already answered, has not ended yet.
 */
public class GuardedSessionCacheTest
{
    private static final String ID = "session-1";

    private final Map<String, SessionData> table = new ConcurrentHashMap<>();
    private final Server serverA = new Server();
    private final Server serverB = new Server();

    @AfterEach
    void stop() throws Exception
    {
        serverA.stop();
        serverB.stop();
    }

    @Test
    void aRequestThatComesBackBeforeTheAnsweredOneEndedReadsWhatAnotherInstanceWrote() throws Exception
    {
        SessionCache a = instance(serverA, "a");
        SessionCache b = instance(serverB, "b");
        table.put(ID, new SessionData(ID, "", "0.0.0.0", 1, 1, 1, -1, new HashMap<>(Map.of("count", 1))));

        // request 1 on a: count 2, written on commit, answered; its thread has not reached the request's end yet
        ManagedSession first = a.get(ID);
        first.setAttribute("count", (Integer)first.getAttribute("count") + 1);
        a.commit(first);

        // request 2 of the same client, on b: count 3
        ManagedSession second = b.get(ID);
        assertEquals(2, second.getAttribute("count"));
        second.setAttribute("count", (Integer)second.getAttribute("count") + 1);
        b.commit(second);
        b.release(second);

        // request 3, on a again, while request 1 still holds its copy
        ManagedSession third = a.get(ID);
        assertEquals(3, third.getAttribute("count"), "the count that b wrote");
        a.commit(third);
        a.release(first);
        a.release(third);
        assertEquals(3, table.get(ID).getAttribute("count"));
    }

    private SessionCache instance(Server server, String worker) throws Exception
    {
        DefaultSessionIdManager ids = new DefaultSessionIdManager(server);
        ids.setWorkerName(worker);
        server.addBean(ids, true);
        SessionHandler handler = new SessionHandler();
        GuardedSessionCache cache = new GuardedSessionCache(handler, false);
        cache.setEvictionPolicy(SessionCache.EVICT_ON_SESSION_EXIT);
        cache.setFlushOnResponseCommit(true);
        SharedStore store = new SharedStore(table);
        store.setSavePeriodSec(Integer.MAX_VALUE);
        cache.setSessionDataStore(store);
        handler.setSessionCache(cache);
        server.setHandler(handler);
        server.start();
        return cache;
    }

    /**
     * The database table of a JDBC store: every instance reads and writes copies of the same rows.
     */
    private static final class SharedStore extends AbstractSessionDataStore
    {
        private final Map<String, SessionData> table;

        SharedStore(Map<String, SessionData> table)
        {
            this.table = table;
        }

        private static SessionData copy(SessionData data)
        {
            SessionData copy = new SessionData(data.getId(), data.getContextPath(), data.getVhost(), data.getCreated(), data.getAccessed(),
                data.getLastAccessed(), data.getMaxInactiveMs(), new HashMap<>(data.getAllAttributes()));
            copy.setLastSaved(data.getLastSaved());
            copy.setExpiry(data.getExpiry());
            return copy;
        }

        @Override
        public boolean doExists(String id)
        {
            return table.containsKey(id);
        }

        @Override
        public void doStore(String id, SessionData data, long lastSaveTime)
        {
            table.put(id, copy(data));
        }

        @Override
        public SessionData doLoad(String id)
        {
            SessionData data = table.get(id);
            return data == null ? null : copy(data);
        }

        @Override
        public Set<String> doCheckExpired(Set<String> candidates, long time)
        {
            return Set.of();
        }

        @Override
        public Set<String> doGetExpired(long before)
        {
            return Set.of();
        }

        @Override
        public void doCleanOrphans(long time)
        {
        }

        @Override
        public boolean isPassivating()
        {
            return false;
        }

        @Override
        public boolean delete(String id)
        {
            return table.remove(id) != null;
        }
    }
}
