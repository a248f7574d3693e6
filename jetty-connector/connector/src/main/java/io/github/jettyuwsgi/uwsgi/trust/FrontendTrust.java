package io.github.jettyuwsgi.uwsgi.trust;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frontend checks of one uwsgi connector, applied before its vars are believed: the peer address against a
 * {@link FrontendAllowList} when a connection opens, and the {@link FrontendSecret} when a packet's vars are
 * complete. It counts what it refuses (read by the launcher's stats document) and logs it, at most one line per
 * {@value #LOG_INTERVAL_SECONDS} seconds per kind, so a flood cannot flood the log.
 *
 * <p>A refused address is closed before anything is read. A refused packet is answered {@code 403} with no body and
 * closed, as Tomcat's AJP connector answers a request without its {@code secret}: the request never reaches Jetty's
 * handlers (no application, no request log), and an operator who forgot the {@code uwsgi_param} sees 403 in nginx's
 * log rather than a 502.</p>
 */
@ManagedObject("which uwsgi frontends are believed")
public final class FrontendTrust
{
    /** No checks: every frontend is believed, as before frontend trust existed (loopback and Unix sockets). */
    public static final FrontendTrust NONE = new FrontendTrust(null, null);
    static final long LOG_INTERVAL_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(FrontendTrust.class);
    private static final byte[] FORBIDDEN = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final FrontendSecret secret;
    private final FrontendAllowList allowList;
    /** What the log lines name the listener: {@code uwsgi}, or {@code fastcgi} for the launcher's FastCGI socket. */
    private final String protocol;
    private final LongAdder refusedAddresses = new LongAdder();
    private final LongAdder refusedPackets = new LongAdder();
    private final RateLimitedLog addressLog = new RateLimitedLog(LOG_INTERVAL_SECONDS);
    private final RateLimitedLog secretLog = new RateLimitedLog(LOG_INTERVAL_SECONDS);

    /**
     * @param secret the var every packet must carry, or null for none
     * @param allowList the addresses TCP frontends may connect from, or null for any
     */
    public FrontendTrust(FrontendSecret secret, FrontendAllowList allowList)
    {
        this(secret, allowList, "uwsgi");
    }

    /**
     * @param allowList the addresses the frontends of a listener that believes its peer's params (a FastCGI socket) may
     * connect from
     * @param protocol the listener's protocol, for the log lines
     * @return checks of the address only: such a listener has no vars to carry a secret
     */
    public static FrontendTrust addressesOnly(FrontendAllowList allowList, String protocol)
    {
        return new FrontendTrust(null, allowList, protocol);
    }

    private FrontendTrust(FrontendSecret secret, FrontendAllowList allowList, String protocol)
    {
        this.secret = secret;
        this.allowList = allowList;
        this.protocol = protocol;
    }

    /**
     * The form of the jetty-home module's properties ({@code jetty.uwsgi.frontendSecret},
     * {@code jetty.uwsgi.allowFrontends}), where an unset property is empty.
     *
     * @param secret {@code NAME=VALUE}, or null or blank for none
     * @param allowFrontends CIDR blocks or addresses separated by commas, or null or blank for any
     * @return the checks, with counters of their own
     * @throws IllegalArgumentException naming what is malformed
     */
    public static FrontendTrust of(String secret, String allowFrontends)
    {
        FrontendSecret parsedSecret = secret == null || secret.isBlank() ? null : FrontendSecret.parse(secret.trim());
        FrontendAllowList allowList = null;
        if (allowFrontends != null && !allowFrontends.isBlank())
            allowList = FrontendAllowList.of(Arrays.stream(allowFrontends.split(",")).map(String::trim).filter(block -> !block.isEmpty()).toList());
        return new FrontendTrust(parsedSecret, allowList);
    }

    /**
     * @return the secret var, or null
     */
    public FrontendSecret getSecret()
    {
        return secret;
    }

    /**
     * @return the allow list, or null
     */
    public FrontendAllowList getAllowList()
    {
        return allowList;
    }

    @ManagedAttribute("Connections closed because their address is not an allowed frontend")
    public long getRefusedAddresses()
    {
        return refusedAddresses.sum();
    }

    @ManagedAttribute("Packets answered 403 because the frontend secret was missing, wrong or repeated")
    public long getRefusedPackets()
    {
        return refusedPackets.sum();
    }

    /**
     * @param peer a new connection's peer address
     * @return whether the connection may be read; false has been counted and logged
     */
    public boolean admits(SocketAddress peer)
    {
        // Unix sockets: the file's mode and owner decide who connects
        if (allowList == null || !(peer instanceof InetSocketAddress inet) || inet.getAddress() == null)
            return true;
        if (allowList.allows(inet.getAddress()))
            return true;
        refusedAddresses.increment();
        if (LOG.isWarnEnabled())
            addressLog.log(suppressed -> LOG.warn("{}: refused connection from {}:{}: not an allowed frontend (allow-frontend: {}); closed{}",
                protocol, inet.getAddress().getHostAddress(), inet.getPort(), allowList, suppressed));
        return false;
    }

    /**
     * Checks a packet's secret var and removes it from the vars.
     *
     * @param vars the packet's vars, changed in place
     * @param frontend describes the frontend's end of the socket for the log line
     * @return whether the packet may go on to the request mapping; false has been counted and logged, and the caller
     * answers {@link #forbiddenResponse()} and closes
     */
    public boolean admits(UwsgiVars vars, Supplier<String> frontend)
    {
        if (secret == null)
            return true;
        FrontendSecret.Verdict verdict = secret.check(vars);
        if (verdict == FrontendSecret.Verdict.ACCEPTED)
            return true;
        refusedPackets.increment();
        String what = switch (verdict)
        {
            case MISSING -> "no var " + secret.name();
            case WRONG -> "a wrong value of " + secret.name();
            default -> "more than one var " + secret.name();
        };
        if (LOG.isWarnEnabled())
            secretLog.log(suppressed -> LOG.warn("uwsgi: refused packet from {}: {} (expected: the frontend secret, nginx uwsgi_param {} ...); answered 403 and closed{}",
                frontend.get(), what, secret.name(), suppressed));
        return false;
    }

    /**
     * @return the bytes of the response to a refused packet: a bare 403 that closes
     */
    public static ByteBuffer forbiddenResponse()
    {
        return ByteBuffer.wrap(FORBIDDEN).asReadOnlyBuffer();
    }

    /**
     * @param endPoint the end point of a connection whose address {@link #admits(SocketAddress) is not admitted}
     * @param executor the connector's executor
     * @return a connection that closes the end point as soon as it opens, without reading
     */
    public static AbstractConnection refusedConnection(EndPoint endPoint, Executor executor)
    {
        return new RefusedConnection(endPoint, executor);
    }

    @Override
    public String toString()
    {
        return "FrontendTrust{secret=" + (secret == null ? "none" : secret.name()) + ", allow=" + (allowList == null ? "any" : allowList) + "}";
    }

    private static final class RefusedConnection extends AbstractConnection
    {
        RefusedConnection(EndPoint endPoint, Executor executor)
        {
            super(endPoint, executor);
        }

        @Override
        public void onOpen()
        {
            super.onOpen();
            getEndPoint().close();
        }

        @Override
        public void onFillable()
        {
            getEndPoint().close();
        }
    }
}
