package io.github.jettyuwsgi.launcher.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Put by {@link SessionStores} around the applications when sessions live in a file or JDBC store: a request whose
 * session cannot be loaded or saved is answered 503 instead of what the application wrote, before anything of it
 * reaches the client. Without it, Jetty logs the failure and the application goes on with a new, empty session: the
 * user is logged out, their cart is empty, and the new session cookie replaces theirs for good. With it, the client
 * keeps its cookie and retries; as soon as the store answers again, the next request is served as usual.
 *
 * <p>The changed sessions are written when the application's response is about to be committed (Jetty's
 * flush-on-commit, brought forward to the moment the answer can still change); one log line says which request met
 * which failure, without a stack trace, and the client gets a plain 503.</p>
 */
public final class SessionStoreGuard extends Handler.Wrapper
{
    private static final Logger LOG = LoggerFactory.getLogger(SessionStoreGuard.class);
    private static final byte[] BODY = "503 Service Unavailable: the session store cannot be reached, try again\n".getBytes(StandardCharsets.US_ASCII);

    private final String store;
    private final AtomicLong unavailable = new AtomicLong();

    /**
     * @param store the store as the log should name it (no password)
     * @param applications what handles the requests
     */
    public SessionStoreGuard(String store, Handler applications)
    {
        super(applications);
        this.store = store;
    }

    /**
     * @return how many requests were answered 503 because the store failed
     */
    public long getUnavailableCount()
    {
        return unavailable.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception
    {
        RequestSessions sessions = new RequestSessions();
        RequestSessions previous = sessions.enter();
        try
        {
            return super.handle(request, new GuardedResponse(request, response, sessions), callback);
        }
        finally
        {
            RequestSessions.restore(previous);
        }
    }

    private final class GuardedResponse extends Response.Wrapper
    {
        private final RequestSessions sessions;
        /** null until the first write; then true if the application's writes go through, false if they are dropped */
        private Boolean passing;

        private GuardedResponse(Request request, Response wrapped, RequestSessions sessions)
        {
            super(request, wrapped);
            this.sessions = sessions;
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback)
        {
            boolean first;
            synchronized (this)
            {
                first = passing == null;
                if (first)
                    passing = sessions.commit() == null;
            }
            if (passing)
            {
                super.write(last, content, callback);
                return;
            }
            if (!first)
            {
                // the 503 has been sent: what the application still writes goes nowhere
                callback.succeeded();
                return;
            }
            unavailable.incrementAndGet();
            Request request = getRequest();
            LOG.warn("503 for {} {}: session store {} failed: {}", request.getMethod(), request.getHttpURI().getPathQuery(), store, SessionStores.describe(sessions.failure()));
            // the application's status, headers and new session cookie go: the client keeps the cookie it has
            getWrapped().reset();
            getWrapped().setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
            getWrapped().getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=us-ascii");
            getWrapped().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            getWrapped().getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            getWrapped().getHeaders().put(HttpHeader.CONTENT_LENGTH, BODY.length);
            getWrapped().write(true, ByteBuffer.wrap(BODY), callback);
        }
    }
}
