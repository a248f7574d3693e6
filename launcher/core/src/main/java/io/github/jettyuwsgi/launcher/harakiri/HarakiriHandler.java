package io.github.jettyuwsgi.launcher.harakiri;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>As in uWSGI's master, one sweeper checks every second the deadlines of the requests running, so a request is
 * killed between {@code harakiri} and {@code harakiri + 1} seconds after its start, and a request costs no timer of its
 * own. uWSGI kills the worker process and logs its backtrace; a JVM cannot kill a thread, so the stack trace of the
 * thread inside the application is logged to the server log (never sent to the client), then the thread is interrupted
 * (which ends sleeps, waits, and interruptible I/O such as NIO channels) while the request is completed without it,
 * and whatever the application does afterwards is quietly discarded.</p>
 */
public final class HarakiriHandler extends Handler.Wrapper
{
    private static final Logger LOG = LoggerFactory.getLogger(HarakiriHandler.class);
    /**
     * How long the 504 may take to be written before a connection whose application thread is still stuck is
     * closed: until that thread returns Jetty does not complete the exchange, and a uwsgi frontend reads until close.
     */
    private static final long ABORT_GRACE_MILLIS = 1000;
    /** How often the deadlines are checked: uWSGI's master checks them once a second. */
    private static final long SWEEP_MILLIS = 1000;


    private final int seconds;
    private final long timeoutNanos;
    private final LongAdder count = new LongAdder();
    /** The requests under watch: added when they enter, removed when they complete or are killed. */
    private final Set<Harakiri> running = ConcurrentHashMap.newKeySet();
    /** The one task the sweeper schedules, again and again: a test sees that no request brings its own. */
    private final Runnable sweeper = this::sweep;
    /** The scheduler given by a test, which sees every timer, or null for the server's. */
    private final Scheduler timers;
    private Scheduler scheduler;
    /** The sweep scheduled next, or null once stopped; guarded by this. */
    private Scheduler.Task nextSweep;

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
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(seconds);
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
        synchronized (this)
        {
            nextSweep = scheduler.schedule(sweeper, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void doStop() throws Exception
    {
        synchronized (this)
        {
            if (nextSweep != null)
                nextSweep.cancel();
            nextSweep = null;
        }
        super.doStop();
    }

    /**
     * Kills the requests past their deadline, then schedules itself again; one pass costs a look at each running
     * request, as uWSGI's master looks at each worker.
     */
    private void sweep()
    {
        long now = NanoTime.now();
        for (Harakiri harakiri : running)
        {
            if (NanoTime.elapsed(harakiri.startNanos, now) >= timeoutNanos)
            {
                try
                {
                    harakiri.kill();
                }
                catch (Throwable x)
                {
                    LOG.warn("harakiri of {} failed", harakiri.getRequest(), x);
                }
            }
        }
        synchronized (this)
        {
            if (nextSweep != null)
                nextSweep = scheduler.schedule(sweeper, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception
    {
        Handler next = getHandler();
        if (next == null)
            return false;
        Harakiri harakiri = new Harakiri(request, response, callback);
        request.addHttpStreamWrapper(harakiri::wrap);
        running.add(harakiri);
        boolean handled;
        try
        {
            handled = next.handle(request, harakiri, harakiri);
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
     * One request under watch, in one object: its deadline, the response given to the application (which discards
     * the application's writes after the harakiri) and the callback given to it, which completes the real one unless
     * the harakiri did it first.
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
    private final class Harakiri extends Response.Wrapper implements Callback
    {
        private final Callback callback;
        private final long startNanos = NanoTime.now();
        /** The thread inside the application, or null; guarded by this, so that no other request is ever interrupted. */
        private Thread thread = Thread.currentThread();
        /** The request was completed, by the application or by the harakiri; guarded by this. */
        private boolean completed;
        private volatile boolean killed;
        private volatile boolean streamCompleted;

        private Harakiri(Request request, Response response, Callback callback)
        {
            super(request, response);
            this.callback = callback;
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback writeCallback)
        {
            // After the harakiri nothing of the application reaches the client; EofException is what the application
            // would see had the client gone, and Jetty logs it quietly.
            if (killed)
                writeCallback.failed(new EofException("harakiri: the request was already answered"));
            else
                super.write(last, content, writeCallback);
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
                    running.remove(this);
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
            }
            running.remove(this);
            return true;
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
                LOG.debug("{} failed after its harakiri", getRequest(), x);
            }
        }

        @Override
        public InvocationType getInvocationType()
        {
            return callback.getInvocationType();
        }

        /**
         * The harakiri itself, on the sweeper's thread. The stack trace of a thread inside the application is taken
         * for the log, then the thread is interrupted, and the request is answered when that thread leaves
         * ({@link #leave}): failing the callback while {@code handle()} is still running races with Jetty's own
         * completion of the handling, which then completes the stream twice. Only a request in async wait (no thread
         * inside) is answered here at once, and one whose thread ignores the interrupt after
         * {@link #ABORT_GRACE_MILLIS}.
         */
        private void kill()
        {
            Thread inside;
            StackTraceElement[] backtrace = null;
            synchronized (this)
            {
                if (completed || killed)
                    return;
                killed = true;
                inside = thread;
                if (inside == null)
                {
                    completed = true;
                }
                else
                {
                    backtrace = inside.getStackTrace();
                    inside.interrupt();
                }
            }
            running.remove(this);
            count.increment();
            LOG.warn("HARAKIRI (pid: {}): {} {} from {} still running after {} s (harakiri = {}): {}, {}",
                ProcessHandle.current().pid(), getRequest().getMethod(), getRequest().getHttpURI().getPathQuery(), Request.getRemoteAddr(getRequest()),
                NanoTime.secondsSince(startNanos), seconds,
                inside == null ? "in async wait" : "thread " + inside.getName() + " interrupted",
                getWrapped().isCommitted() ? "response already committed, connection aborted" : "answered 504");
            if (backtrace != null)
                LOG.warn("HARAKIRI backtrace of thread {}", inside.getName(), new Backtrace(inside, backtrace));
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
            boolean committed = getWrapped().isCommitted();
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
            EndPoint endPoint = getRequest().getConnectionMetaData().getConnection().getEndPoint();
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

    /**
     * The frames of a stuck thread, as the log writes a stack trace: one {@code at} line each, where a message would
     * have its line breaks escaped. Never thrown.
     */
    private static final class Backtrace extends Throwable
    {
        private Backtrace(Thread thread, StackTraceElement[] frames)
        {
            super("thread " + thread.getName() + " at the harakiri", null, false, true);
            setStackTrace(frames);
        }
    }
}
