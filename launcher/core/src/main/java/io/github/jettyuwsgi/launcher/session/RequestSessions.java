package io.github.jettyuwsgi.launcher.session;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionCache;

/**
 * What one request did with the session store: the sessions it loaded or created, and the store failure it met. The
 * {@link SessionStoreGuard} of the request sets it as the current one while the application handles the request
 * (Jetty loads the requested session on that thread, before the application runs), {@link GuardedSessionCache}
 * fills it, and the guard reads it when the response is about to be committed.
 */
final class RequestSessions
{
    private static final ThreadLocal<RequestSessions> CURRENT = new ThreadLocal<>();

    private final List<Entered> entered = new ArrayList<>();
    private Exception failure;

    /**
     * @return the sessions of the request this thread is handling, or null outside a guarded request (the scavenger,
     * a request of a context without a guard)
     */
    static RequestSessions current()
    {
        return CURRENT.get();
    }

    /**
     * @return the previous current one, to give back to {@link #restore}
     */
    RequestSessions enter()
    {
        RequestSessions previous = CURRENT.get();
        CURRENT.set(this);
        return previous;
    }

    static void restore(RequestSessions previous)
    {
        if (previous == null)
            CURRENT.remove();
        else
            CURRENT.set(previous);
    }

    synchronized void entered(SessionCache cache, ManagedSession session)
    {
        if (session != null)
            entered.add(new Entered(cache, session));
    }

    synchronized void failed(Exception x)
    {
        if (failure == null)
            failure = x;
    }

    synchronized Exception failure()
    {
        return failure;
    }

    /**
     * Writes the changed sessions of the request now, while the response can still become a 503.
     *
     * @return the failure of a load earlier in the request or of this write; null if the sessions are safe
     */
    synchronized Exception commit()
    {
        if (failure != null)
            return failure;
        for (Entered each : entered)
        {
            try
            {
                each.cache().commit(each.session());
            }
            catch (Exception x)
            {
                failure = x;
                return x;
            }
        }
        return null;
    }

    private record Entered(SessionCache cache, ManagedSession session)
    {
    }
}
