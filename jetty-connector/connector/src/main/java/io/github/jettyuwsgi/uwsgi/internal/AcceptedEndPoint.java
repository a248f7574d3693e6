package io.github.jettyuwsgi.uwsgi.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.thread.AutoLock;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end point of an accepted uwsgi connection that is served before it is registered with a selector: a frontend
 * writes its whole packet right after connecting, so the pool thread that opens the connection usually reads the packet,
 * runs the request, writes the answer and closes the socket without the selector ever knowing the socket. It joins its
 * {@link ManagedSelector} only when it must wait: the first time a read finds nothing or a write is incomplete (a slow
 * frontend, a big or streamed body, an async servlet, an upgrade). A socket that was never registered is closed at once,
 * where a registered one is closed by the selector later (the JDK defers it, and Jetty hands the clean-up to another
 * thread).
 *
 * <p>Its idle timeout starts only when nothing runs the connection: the first time it waits to read or write, or when
 * the thread that opened it leaves it open ({@link #startIdleTimeout()}: an async request, an upgrade). Until then the
 * timeout is kept aside, so a request that is read, answered and closed by its opening thread never schedules the timer
 * nor cancels it (two or three of each per connection otherwise, as the connection sets its socket and request
 * timeouts, each taking the scheduler's one lock, which every thread serving a connection contends for). A handler
 * that works longer than the idle timeout without reading or writing is not cut by it, with the timer or without;
 * harakiri is for those.</p>
 *
 * <p>Events, once registered, follow Jetty's {@code SelectableChannelEndPoint}: the selector thread removes the ready
 * operations from the interest set and returns a task for the fill interest or the write flusher; the task's invocation
 * type lets the selector run a non-blocking callback itself.</p>
 */
public class AcceptedEndPoint extends AbstractEndPoint implements ManagedSelector.Selectable
{
    private static final Logger LOG = LoggerFactory.getLogger(AcceptedEndPoint.class);

    private final AutoLock lock = new AutoLock();
    private final SocketChannel channel;
    private final ManagedSelector selector;
    private final Consumer<AcceptedEndPoint> onClosed;
    /** Guarded by lock; made with the registration, since most end points never join the selector. */
    private ManagedSelector.SelectorUpdate keyUpdate;
    /** Made by the registration on the selector thread, which alone runs onSelected. */
    private Task fillable;
    private Task flushable;
    private Task fillableAndFlushable;
    /** Guarded by lock; set on the selector thread once registered. */
    private SelectionKey key;
    /** Guarded by lock: the registration has been asked for (it may not have run yet). */
    private boolean registered;
    /** Guarded by lock: the selector will call updateKey after the events it is processing. */
    private boolean updatePending;
    private int currentOps;
    private int desiredOps;
    /** Guarded by lock for writes: whether Jetty's idle timeout runs (see {@link #startIdleTimeout()}). */
    private volatile boolean idleTimeoutStarted;
    /** The idle timeout until it starts; Jetty's own stays 0 (off) until then. */
    private volatile long idleTimeoutAside;

    /**
     * @param channel the accepted channel, in non-blocking mode
     * @param selector the selector it joins when it has to wait
     * @param scheduler for the idle timeout
     * @param onClosed told once the end point and its connection are closed (the connector's bookkeeping)
     */
    public AcceptedEndPoint(SocketChannel channel, ManagedSelector selector, Scheduler scheduler, Consumer<AcceptedEndPoint> onClosed)
    {
        super(scheduler);
        this.channel = channel;
        this.selector = selector;
        this.onClosed = onClosed;
    }

    @Override
    public SocketChannel getTransport()
    {
        return channel;
    }

    @Override
    public SocketAddress getLocalSocketAddress()
    {
        try
        {
            return channel.getLocalAddress();
        }
        catch (IOException x)
        {
            return null;
        }
    }

    @Override
    public SocketAddress getRemoteSocketAddress()
    {
        try
        {
            return channel.getRemoteAddress();
        }
        catch (IOException x)
        {
            return null;
        }
    }

    @Override
    public boolean isOpen()
    {
        return channel.isOpen();
    }

    /**
     * @return whether the channel has joined (or is joining) its selector, for tests of the unregistered path
     */
    public boolean isRegistered()
    {
        try (AutoLock ignored = lock.lock())
        {
            return registered;
        }
    }

    @Override
    public long getIdleTimeout()
    {
        return idleTimeoutStarted ? super.getIdleTimeout() : idleTimeoutAside;
    }

    @Override
    public void setIdleTimeout(long idleTimeout)
    {
        try (AutoLock ignored = lock.lock())
        {
            if (idleTimeoutStarted)
                super.setIdleTimeout(idleTimeout);
            else
                idleTimeoutAside = idleTimeout;
        }
    }

    /**
     * Starts the idle timeout, once: called when the end point first waits to read or write, and by the thread that
     * opened the connection when it leaves it open. The idle time counts from now, since until now a thread was running
     * the connection.
     */
    public void startIdleTimeout()
    {
        if (idleTimeoutStarted)
            return;
        try (AutoLock ignored = lock.lock())
        {
            if (idleTimeoutStarted)
                return;
            idleTimeoutStarted = true;
            notIdle();
            // Jetty's timeout was 0 until now, so this schedules the first check
            super.setIdleTimeout(idleTimeoutAside);
        }
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException
    {
        if (isInputShutdown())
            return -1;
        int position = BufferUtil.flipToFill(buffer);
        int filled;
        try
        {
            filled = channel.read(buffer);
            if (filled > 0)
                notIdle();
            else if (filled < 0)
                shutdownInput();
        }
        catch (IOException x)
        {
            if (LOG.isDebugEnabled())
                LOG.debug("uwsgi: read failed on {}", this, x);
            shutdownInput();
            filled = -1;
        }
        finally
        {
            BufferUtil.flipToFlush(buffer, position);
        }
        return filled;
    }

    @Override
    public boolean flush(ByteBuffer... buffers) throws IOException
    {
        long flushed;
        try
        {
            flushed = buffers.length == 1 ? channel.write(buffers[0]) : channel.write(buffers);
        }
        catch (IOException x)
        {
            throw new EofException(x);
        }
        if (flushed > 0)
            notIdle();
        for (ByteBuffer buffer : buffers)
        {
            if (BufferUtil.hasContent(buffer))
                return false;
        }
        return true;
    }

    @Override
    protected void doShutdownOutput()
    {
        try
        {
            channel.shutdownOutput();
        }
        catch (IOException x)
        {
            if (LOG.isDebugEnabled())
                LOG.debug("uwsgi: could not shut down the output of {}", this, x);
        }
    }

    @Override
    protected void doClose()
    {
        IO.close(channel);
        super.doClose();
    }

    @Override
    public void onClose(Throwable cause)
    {
        try
        {
            super.onClose(cause);
        }
        finally
        {
            boolean wasRegistered;
            try (AutoLock ignored = lock.lock())
            {
                wasRegistered = registered;
            }
            // A registered channel is really closed only when its selector drops the cancelled key: wake it up so the
            // frontend sees the close now. An unregistered one was closed by doClose already.
            if (wasRegistered)
            {
                Selector nio = selector.getSelector();
                if (nio != null)
                    nio.wakeup();
            }
            onClosed.accept(this);
        }
    }

    @Override
    protected void needsFillInterest()
    {
        startIdleTimeout();
        changeInterests(SelectionKey.OP_READ);
    }

    @Override
    protected void onIncompleteFlush()
    {
        startIdleTimeout();
        changeInterests(SelectionKey.OP_WRITE);
    }

    private void changeInterests(int operation)
    {
        boolean register;
        ManagedSelector.SelectorUpdate submit = null;
        try (AutoLock ignored = lock.lock())
        {
            desiredOps |= operation;
            register = !registered;
            registered = true;
            if (register)
                keyUpdate = nio -> updateKey();
            else if (!updatePending)
                submit = keyUpdate;
        }
        if (register)
            selector.submit(this::register);
        else if (submit != null)
            selector.submit(submit);
    }

    private void register(Selector nio)
    {
        fillable = new Task(true, false);
        flushable = new Task(false, true);
        fillableAndFlushable = new Task(true, true);
        try
        {
            SelectionKey selectionKey = channel.register(nio, 0, this);
            try (AutoLock ignored = lock.lock())
            {
                key = selectionKey;
            }
            updateKey();
        }
        catch (Throwable x)
        {
            if (LOG.isDebugEnabled())
                LOG.debug("uwsgi: could not register {}", this, x);
            close(x);
        }
    }

    @Override
    public Runnable onSelected()
    {
        int readyOps = key.readyOps();
        try (AutoLock ignored = lock.lock())
        {
            updatePending = true;
            desiredOps &= ~readyOps;
        }
        boolean fill = (readyOps & SelectionKey.OP_READ) != 0;
        boolean flush = (readyOps & SelectionKey.OP_WRITE) != 0;
        return fill ? (flush ? fillableAndFlushable : fillable) : (flush ? flushable : null);
    }

    @Override
    public void updateKey()
    {
        try
        {
            try (AutoLock ignored = lock.lock())
            {
                updatePending = false;
                // null until the registration, queued behind this update, has run: it calls updateKey itself
                if (key != null && currentOps != desiredOps)
                {
                    currentOps = desiredOps;
                    key.interestOps(desiredOps);
                }
            }
        }
        catch (CancelledKeyException x)
        {
            close();
        }
        catch (Throwable x)
        {
            LOG.warn("uwsgi: could not update the selection key of {}", this, x);
            close(x);
        }
    }

    @Override
    public void replaceKey(SelectionKey newKey)
    {
        try (AutoLock ignored = lock.lock())
        {
            key = newKey;
        }
    }

    /** What the selector runs when the channel is ready: complete the write, then the fill, as the events say. */
    private final class Task implements Invocable.Task, Closeable
    {
        private final boolean fill;
        private final boolean flush;

        private Task(boolean fill, boolean flush)
        {
            this.fill = fill;
            this.flush = flush;
        }

        @Override
        public void run()
        {
            if (flush)
                getWriteFlusher().completeWrite();
            if (fill)
                getFillInterest().fillable();
        }

        @Override
        public InvocationType getInvocationType()
        {
            if (!flush)
                return getFillInterest().getCallbackInvocationType();
            if (!fill)
                return getWriteFlusher().getCallbackInvocationType();
            return Invocable.combine(getFillInterest().getCallbackInvocationType(), getWriteFlusher().getCallbackInvocationType());
        }

        @Override
        public void close()
        {
            AcceptedEndPoint.this.close();
        }
    }
}
