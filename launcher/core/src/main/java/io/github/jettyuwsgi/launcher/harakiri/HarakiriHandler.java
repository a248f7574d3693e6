package io.github.jettyuwsgi.launcher.harakiri;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * uWSGI's {@code harakiri} for the launcher: a request still being handled after the configured seconds is
 * interrupted, logged once at WARN, and answered 504 if nothing was sent yet; if the application had already
 * committed its response, the connection is aborted so the frontend sees a truncated response rather than waiting.
 * {@code server.HandlerChain} puts it between the {@code GracefulHandler} and the applications when {@code harakiri} is
 * set; a request in async wait counts as running, since it still holds its connection.
 *
 * <p>uWSGI kills the worker process; a JVM cannot kill a thread, so the thread is interrupted (which ends sleeps,
 * waits, and interruptible I/O such as NIO channels) while the request is completed without it, and whatever the
 * application does afterwards is quietly discarded.</p>
 */
public final class HarakiriHandler extends Handler.Wrapper
{
    private static final Logger LOG = LoggerFactory.getLogger(HarakiriHandler.class);
    /**
     * How long the 504 may take to be written before a connection whose application thread is still stuck is
     * closed: until that thread returns Jetty does not complete the exchange, and a uwsgi frontend reads until close.
     */
    private static final long ABORT_GRACE_MILLIS = 1000;

    private final int seconds;
    private final LongAdder count = new LongAdder();
    /** The scheduler given by a test, which sees every timer, or null for the server's. */
    private final Scheduler timers;
    private Scheduler scheduler;

    /**
     * @param seconds how long a request may run, at least 1
     * @param handler the applications
     */
    public HarakiriHandler(int seconds, Handler handler)
    {
        this(seconds, handler, null);
    }

    /**
     * @param seconds how long a request may run, at least 1
     * @param handler the applications
     * @param timers the scheduler of the harakiri timers, started by the caller, or null for the server's
     */
    HarakiriHandler(int seconds, Handler handler, Scheduler timers)
    {
        super(handler);
        if (seconds < 1)
            throw new IllegalArgumentException("harakiri: " + seconds + " (expected: at least 1 second)");
        this.seconds = seconds;
        this.timers = timers;
    }

    public int getSeconds()
    {
        return seconds;
    }

    /**
     * @return how many requests were killed since the start, as uWSGI's {@code harakiri_count} of the stats
     */
    public long getCount()
    {
        return count.sum();
    }

    @Override
    protected void doStart() throws Exception
    {
        scheduler = timers != null ? timers : getServer().getScheduler();
        super.doStart();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception
    {
        Handler next = getHandler();
        if (next == null)
            return false;
        Harakiri harakiri = new Harakiri(request, response, callback);
        request.addHttpStreamWrapper(harakiri::wrap);
        harakiri.start();
        boolean handled;
        try
        {
            handled = next.handle(request, harakiri.response, harakiri);
        }
        catch (Throwable x)
        {
            // Jetty fails the request's callback with x, unless this request was already answered by the harakiri
            if (harakiri.leave(false))
                throw x;
            LOG.debug("{} threw after its harakiri", request, x);
            return true;
        }
        return harakiri.leave(handled) ? handled : true;
    }

    /**
     * One request under watch: the callback given to the application, which completes the real one unless the
     * harakiri did it first, and the timer that does it.
     *
     * <p>Why the harakiri fails the request's callback with an {@link HttpException} of status 504, rather than
     * writing a 504 itself with {@link Response#writeError}: the application may be writing or committing at that very
     * moment, and only Jetty's channel can decide under its own lock whether the response is still uncommitted. On a
     * failed callback it does exactly that ({@code HttpChannelState.ChannelCallback}): uncommitted, it writes the
     * error page through a separate error response (so the application's later writes cannot mix with it) and logs
     * the request with 504; committed, it marks the exchange failed, so the connection is aborted when the
     * application returns. Jetty's own {@code StateTrackingHandler} completes overdue callbacks the same way. An
     * {@link HttpException} is a {@code QuietException}: no stack trace is logged for it.</p>
     */
    private final class Harakiri implements Callback, Runnable
    {
        private final Request request;
        private final Response wrapped;
        private final Callback callback;
        private final Response response;
        private final long startNanos = NanoTime.now();
        private Scheduler.Task timer;
        /** The thread inside the application, or null; guarded by this, so that no other request is ever interrupted. */
        private Thread thread = Thread.currentThread();
        /** The request was completed, by the application or by the harakiri; guarded by this. */
        private boolean completed;
        private volatile boolean killed;
        private volatile boolean streamCompleted;

        private Harakiri(Request request, Response response, Callback callback)
        {
            this.request = request;
            this.wrapped = response;
            this.callback = callback;
            this.response = new Response.Wrapper(request, response)
            {
                @Override
                public void write(boolean last, ByteBuffer content, Callback writeCallback)
                {
                    // After the harakiri nothing of the application reaches the client; EofException is what the
                    // application would see had the client gone, and Jetty logs it quietly.
                    if (killed)
                        writeCallback.failed(new EofException("harakiri: the request was already answered"));
                    else
                        super.write(last, content, writeCallback);
                }
            };
        }

        private void start()
        {
            Scheduler.Task task = scheduler.schedule(this, seconds, TimeUnit.SECONDS);
            synchronized (this)
            {
                timer = task;
            }
        }

        /**
         * Called once the application's thread has returned.
         *
         * @param handled what the application returned
         * @return true if the request is the application's to complete, false if the harakiri already did
         */
        private boolean leave(boolean handled)
        {
            boolean mine;
            boolean answer = false;
            synchronized (this)
            {
                thread = null;
                mine = !killed;
                if (killed && !completed)
                {
                    // interrupted by the harakiri: answer now, from the thread Jetty is waiting for (see run)
                    completed = true;
                    answer = true;
                }
                else if (!handled && !completed)
                {
                    // the application declined the request: Jetty answers it (404), nothing to watch any more
                    completed = true;
                    timer.cancel();
                }
            }
            // The interrupt may have come after the application's last interruptible call: the pool thread must not
            // carry it into the next request (an interrupted thread closes any NIO channel it touches).
            if (!mine)
                Thread.interrupted();
            if (answer)
                answer();
            return mine;
        }

        /**
         * @return true if the caller completes the request: the first to come; after the harakiri, the callback the
         * application completes is answered with the 504 instead
         */
        private boolean complete()
        {
            synchronized (this)
            {
                if (completed)
                    return false;
                completed = true;
                if (timer != null)
                    timer.cancel();
                return true;
            }
        }

        @Override
        public void succeeded()
        {
            if (complete())
            {
                if (killed)
                    answer();
                else
                    callback.succeeded();
            }
        }

        @Override
        public void failed(Throwable x)
        {
            if (complete())
            {
                if (killed)
                    answer();
                else
                    callback.failed(x);
            }
            else
            {
                LOG.debug("{} failed after its harakiri", request, x);
            }
        }

        @Override
        public InvocationType getInvocationType()
        {
            return callback.getInvocationType();
        }

        /**
         * The harakiri itself, on a scheduler thread. A thread inside the application is interrupted, and the request
         * is answered when that thread leaves ({@link #leave}): failing the callback while {@code handle()} is still
         * running races with Jetty's own completion of the handling, which then completes the stream twice. Only a
         * request in async wait (no thread inside) is answered here at once, and one whose thread ignores the
         * interrupt after {@link #ABORT_GRACE_MILLIS}.
         */
        @Override
        public void run()
        {
            Thread inside;
            synchronized (this)
            {
                if (completed)
                    return;
                killed = true;
                inside = thread;
                if (inside == null)
                    completed = true;
                else
                    inside.interrupt();
            }
            count.increment();
            LOG.warn("HARAKIRI (pid: {}): {} {} from {} still running after {} s (harakiri = {}): {}, {}",
                ProcessHandle.current().pid(), request.getMethod(), request.getHttpURI().getPathQuery(), Request.getRemoteAddr(request),
                NanoTime.secondsSince(startNanos), seconds,
                inside == null ? "in async wait" : "thread " + inside.getName() + " interrupted",
                wrapped.isCommitted() ? "response already committed, connection aborted" : "answered 504");
            if (inside == null)
                answer();
            else
                scheduler.schedule(this::answerIfStuck, ABORT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }

        /**
         * For a thread that ignored the interrupt: a uwsgi frontend reads until the connection closes, so it must not
         * wait for that thread.
         */
        private void answerIfStuck()
        {
            synchronized (this)
            {
                if (completed)
                    return;
                completed = true;
            }
            answer();
        }

        private void answer()
        {
            HttpException.RuntimeException failure = new HttpException.RuntimeException(HttpStatus.GATEWAY_TIMEOUT_504,
                "Request ran longer than " + seconds + " s");
            boolean committed = wrapped.isCommitted();
            callback.failed(failure);
            if (committed)
                abort(failure);
            else
                scheduler.schedule(() ->
                {
                    if (!streamCompleted)
                        abort(failure);
                }, ABORT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }

        private void abort(Throwable failure)
        {
            EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
            LOG.debug("harakiri: closing {}", endPoint);
            endPoint.close(failure);
        }

        /**
         * Observes the end of the exchange; after a harakiri the connection is not reused: the application may still
         * hold the request (an async servlet, a thread that ignored the interrupt) and Jetty reuses per-connection
         * state for the next request on a persistent connection.
         */
        private HttpStream wrap(HttpStream stream)
        {
            return new HttpStream.Wrapper(stream)
            {
                @Override
                public void succeeded()
                {
                    streamCompleted = true;
                    if (killed)
                        super.failed(new EofException("harakiri: connection not reused"));
                    else
                        super.succeeded();
                }

                @Override
                public void failed(Throwable x)
                {
                    streamCompleted = true;
                    super.failed(x);
                }
            };
        }
    }
}
