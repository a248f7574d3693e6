package io.github.jettyuwsgi.uwsgi;

import java.util.Objects;

import io.github.jettyuwsgi.uwsgi.codec.Uwsgi;
import io.github.jettyuwsgi.uwsgi.trust.FrontendTrust;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;

/**
 * Wire-level settings of the uwsgi connector; everything about interpreting the HTTP request stays in Jetty's
 * {@code HttpConfiguration}, which the {@link UwsgiConnectionFactory} takes beside this.
 *
 * <p>Defaults are named constants; {@link #validate()} is called by the factory when it starts, so a bad value fails
 * start-up with a clear message instead of misbehaving under load.</p>
 */
@ManagedObject("uwsgi wire protocol settings")
public class UwsgiConfiguration
{
    /**
     * The largest vars block accepted by default: the most the 16-bit datasize can say. uWSGI's own default, 4096, is its
     * most common complaint ("invalid request block size"): one large cookie exceeds it.
     */
    public static final int DEFAULT_MAX_VARS_SIZE = Uwsgi.MAX_DATASIZE;
    /** The smallest limit that still fits the vars a frontend sends for a bare GET. */
    public static final int MIN_MAX_VARS_SIZE = 512;
    /** uWSGI's {@code socket-timeout} default, 4 seconds. */
    public static final long DEFAULT_SOCKET_TIMEOUT_MILLIS = 4000;

    private int maxVarsSize = DEFAULT_MAX_VARS_SIZE;
    private FrontendTrust frontendTrust = FrontendTrust.NONE;
    private long socketTimeout = DEFAULT_SOCKET_TIMEOUT_MILLIS;

    /**
     * Settings with every default, changed through the setters.
     */
    public UwsgiConfiguration()
    {
    }

    @ManagedAttribute("The largest uwsgi vars block accepted, in bytes (uWSGI's buffer-size)")
    public int getMaxVarsSize()
    {
        return maxVarsSize;
    }

    /**
     * @param maxVarsSize the largest vars block accepted, {@value #MIN_MAX_VARS_SIZE} to {@value Uwsgi#MAX_DATASIZE}
     */
    public void setMaxVarsSize(int maxVarsSize)
    {
        this.maxVarsSize = maxVarsSize;
    }

    @ManagedAttribute("Which frontends are believed: the allow list and the secret var")
    public FrontendTrust getFrontendTrust()
    {
        return frontendTrust;
    }

    /**
     * @param frontendTrust the frontend checks, with their counters: one per connector to count per socket
     * (default: {@link FrontendTrust#NONE}, every frontend believed)
     */
    public void setFrontendTrust(FrontendTrust frontendTrust)
    {
        this.frontendTrust = Objects.requireNonNull(frontendTrust, "frontendTrust");
    }

    @ManagedAttribute("The longest a uwsgi connection may wait for the bytes of its request, in ms (uWSGI's socket-timeout); 0 leaves the connector's idle timeout")
    public long getSocketTimeout()
    {
        return socketTimeout;
    }

    /**
     * How long a connection may go without receiving a byte of its request: before the packet is complete (a
     * connection that sends nothing, or part of the head or vars) and while the application waits for body bytes. A
     * connection that stalls that long is closed and counted ({@link UwsgiConnectionFactory#getSocketTimeouts()}).
     * It does not bound the application's own time or the writing of the response: the connector's idle timeout (or
     * {@code HttpConfiguration.setIdleTimeout}) does, as for any Jetty request.
     *
     * @param socketTimeout milliseconds, at least 1; 0 applies the connector's idle timeout throughout
     */
    public void setSocketTimeout(long socketTimeout)
    {
        this.socketTimeout = socketTimeout;
    }

    /**
     * @throws IllegalArgumentException naming the first setting that is out of range
     */
    public void validate()
    {
        if (maxVarsSize < MIN_MAX_VARS_SIZE || maxVarsSize > Uwsgi.MAX_DATASIZE)
            throw new IllegalArgumentException("maxVarsSize (buffer-size): " + maxVarsSize + " (expected: " + MIN_MAX_VARS_SIZE + " to " + Uwsgi.MAX_DATASIZE + ")");
        if (socketTimeout < 0)
            throw new IllegalArgumentException("socketTimeout (socket-timeout): " + socketTimeout + " ms (expected: 0 or more)");
    }

    @Override
    public String toString()
    {
        return "UwsgiConfiguration{maxVarsSize=" + maxVarsSize + ", socketTimeout=" + socketTimeout + ", " + frontendTrust + "}";
    }
}
