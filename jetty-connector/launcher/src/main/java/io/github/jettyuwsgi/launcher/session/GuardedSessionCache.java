package io.github.jettyuwsgi.launcher.session;

import org.eclipse.jetty.session.DefaultSessionCache;
import org.eclipse.jetty.session.DefaultSessionCacheFactory;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionManager;

/**
 * Jetty's {@link DefaultSessionCache} for a file or JDBC store, which tells the request's {@link RequestSessions}
 * what it loaded and created, and when the store failed. Jetty itself logs a failed load and carries on as if the
 * session did not exist: the application would then create a new one and the user would lose theirs. Here the
 * failure is kept for {@link SessionStoreGuard} to answer 503, and no session is created in a request whose session
 * could not be loaded, so that nothing can overwrite it once the store is back.
 */
final class GuardedSessionCache extends DefaultSessionCache
{
    GuardedSessionCache(SessionManager manager)
    {
        super(manager);
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
        @Override
        public SessionCache newSessionCache(SessionManager manager)
        {
            return new GuardedSessionCache(manager);
        }
    }
}
