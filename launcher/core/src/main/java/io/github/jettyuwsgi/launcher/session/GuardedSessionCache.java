package io.github.jettyuwsgi.launcher.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.session.DefaultSessionCache;
import org.eclipse.jetty.session.DefaultSessionCacheFactory;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.SessionManager;
import org.eclipse.jetty.util.thread.AutoLock;

/**
 * Jetty's {@link DefaultSessionCache} for a file or JDBC store, which tells the request's {@link RequestSessions}
 * what it loaded and created, and when the store failed. Jetty itself logs a failed load and carries on as if the
 * session did not exist: the application would then create a new one and the user would lose theirs. Here the
 * failure is kept for {@link SessionStoreGuard} to answer 503, and no session is created in a request whose session
 * could not be loaded, so that nothing can overwrite it once the store is back.
 *
 * <p>With flush on commit, every write of a session happens before its response is sent (a session with no change
 * is written then too, when {@code session-save = always} or its last write is too old), never after: a write at the
 * end of the request, as Jetty does by default, could land after the client's next request has been served by
 * another instance, and put back the older session over the newer one.</p>
 *
 * <p>Without a cache ({@code session-cache = none}) a session leaves the cache as soon as it is written, not when its
 * request ends: Jetty keeps it until then and serves the same copy to the next request for it, which on a busy
 * instance can arrive after another instance wrote a newer session (the client got its answer already), and would
 * then count from the older one.</p>
 *
 * <p>A session that could not be written is dropped from the cache, and what the failed request changed in it is
 * never written later: the client got a 503 for that request, so the store keeps the session as it was before it,
 * and the next request reads it from there.</p>
 */
final class GuardedSessionCache extends DefaultSessionCache
{
    /** sessions whose write failed in a request that has not ended yet */
    private final Set<ManagedSession> failed = ConcurrentHashMap.newKeySet();
    /** sessions written at their response's commit and taken out of the cache, whose request has not ended yet */
    private final Set<ManagedSession> detached = ConcurrentHashMap.newKeySet();

    private final ConcurrentMap<String, ManagedSession> sessions;

    private final boolean saveAlways;

    GuardedSessionCache(SessionManager manager, boolean saveAlways)
    {
        this(manager, new ConcurrentHashMap<>(), saveAlways);
    }

    private GuardedSessionCache(SessionManager manager, ConcurrentMap<String, ManagedSession> sessions, boolean saveAlways)
    {
        super(manager, sessions);
        this.sessions = sessions;
        this.saveAlways = saveAlways;
    }

    @Override
    public void shutdown()
    {
        // Jetty writes out every session of the cache at shutdown, reading its attributes; one that a request has just
        // released to the store is no longer resident, and reading it would fail the stop. The store has it already.
        sessions.values().removeIf(session -> !session.isResident());
        super.shutdown();
    }

    @Override
    public void commit(ManagedSession session) throws Exception
    {
        if (session != null && isFlushOnResponseCommit())
        {
            // Jetty's commit writes only a changed session: make it write this one now if it is due, so that the
            // store (whose save period is set so that it never writes an unchanged session later) gets it now
            SessionData data = session.getSessionData();
            long lastSaved = data.getLastSaved();
            boolean due = lastSaved <= 0 || (saveAlways ? lastSaved < data.getAccessed() :
                System.currentTimeMillis() - lastSaved >= TimeUnit.SECONDS.toMillis(SessionStoreSettings.CHANGED_SAVE_PERIOD_SECONDS));
            if (due && session.isValid())
                data.setDirty(true);
        }
        try
        {
            super.commit(session);
        }
        catch (Exception x)
        {
            failed.add(session);
            evict(session);
            throw x;
        }
        if (session != null && isFlushOnResponseCommit() && getEvictionPolicy() == EVICT_ON_SESSION_EXIT)
        {
            // the store has the session now. Its request may take a while yet to end (Jetty leaves a session in the
            // cache until the last request that entered it has ended), and the client's next request can reach this
            // instance before that, after another instance wrote a newer session: it must read the store, not this copy
            sessions.remove(session.getId(), session);
            detached.add(session);
        }
    }

    @Override
    public void release(ManagedSession session) throws Exception
    {
        // the request got a 503: what it changed must not reach the store when the store is back
        if (failed.remove(session))
            return;
        if (detached.contains(session))
        {
            // no longer this cache's: Jetty's release would take the newer copy of another request out of the cache,
            // or put this one back. What the requests changed after their responses were committed is still written.
            try (AutoLock lock = session.lock())
            {
                session.release();
                if (session.getRequests() > 0)
                    return;
                detached.remove(session);
                session.setResident(false);
                if (session.isValid() && session.getSessionData().isDirty())
                    getSessionDataStore().store(session.getId(), session.getSessionData());
            }
            return;
        }
        try
        {
            super.release(session);
        }
        catch (Exception x)
        {
            evict(session);
            throw x;
        }
    }

    private void evict(ManagedSession session)
    {
        if (doGet(session.getId()) == session)
            doDelete(session.getId());
        session.setResident(false);
    }

    @Override
    public ManagedSession get(String id) throws Exception
    {
        RequestSessions request = RequestSessions.current();
        try
        {
            ManagedSession session = super.get(id);
            if (request != null)
                request.entered(this, session);
            return session;
        }
        catch (Exception x)
        {
            if (request != null)
                request.failed(x);
            throw x;
        }
    }

    @Override
    public void add(String id, ManagedSession session) throws Exception
    {
        RequestSessions request = RequestSessions.current();
        if (request != null && request.failure() != null)
            throw new IllegalStateException("no new session while the session store fails: " + request.failure().getMessage(), request.failure());
        super.add(id, session);
        if (request != null)
            request.entered(this, session);
    }

    /**
     * Makes {@link GuardedSessionCache}s, configured as Jetty's factory configures its caches.
     */
    static final class Factory extends DefaultSessionCacheFactory
    {
        private final boolean saveAlways;

        /**
         * @param saveAlways with flush on commit: write every session at every request, not only a changed one
         */
        Factory(boolean saveAlways)
        {
            this.saveAlways = saveAlways;
        }

        @Override
        public SessionCache newSessionCache(SessionManager manager)
        {
            return new GuardedSessionCache(manager, saveAlways);
        }
    }
}
