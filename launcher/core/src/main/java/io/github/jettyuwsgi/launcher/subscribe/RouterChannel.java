package io.github.jettyuwsgi.launcher.subscribe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.eclipse.jetty.util.IO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP socket to one uWSGI subscription server, used by {@link SubscriptionClient} for every datagram to that
 * router. It never blocks and never throws: a datagram that cannot be sent is a warning the first time, then a DEBUG
 * line, because a router that is down (or not up yet) is normal in a fleet and the next announce goes out anyway.
 *
 * <p>The socket is connected to the router, so that the kernel reports the ICMP "port unreachable" of a router that is
 * not listening (as a {@link PortUnreachableException} on the next send) instead of the datagram vanishing unseen.
 * The host name is resolved when the socket is first opened, and again after a failure.</p>
 */
final class RouterChannel implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RouterChannel.class);

    private final String host;
    private final int port;
    private DatagramChannel channel;
    private boolean warned;

    RouterChannel(String host, int port)
    {
        this.host = host;
        this.port = port;
    }

    /**
     * @param packet the datagram, consumed
     * @param what what it announces, for the log
     * @return whether the kernel took the datagram (not whether the router got it: UDP does not say)
     */
    synchronized boolean send(ByteBuffer packet, String what)
    {
        try
        {
            if (channel == null)
                channel = open();
            if (channel.write(packet) > 0)
                return true;
            failed(what, "not sent: the socket's send buffer is full");
        }
        catch (PortUnreachableException x)
        {
            // The ICMP answer to an earlier datagram, reported (and cleared) instead of sending this one: say so, and
            // send this one again, so that an unsubscribe after a router restart is not lost with it.
            failed(what, "the router refused an earlier datagram (ICMP port unreachable), is its subscription server running?");
            try
            {
                return channel.write(packet) > 0;
            }
            catch (IOException | RuntimeException again)
            {
                LOG.debug("subscription {} to router {}:{} not sent again: {}", what, host, port, again.toString());
            }
        }
        catch (IOException | RuntimeException x)
        {
            failed(what, "not sent: " + x);
            close();
        }
        return false;
    }

    private DatagramChannel open() throws IOException
    {
        InetSocketAddress router = new InetSocketAddress(host, port);
        if (router.isUnresolved())
            throw new UnknownHostException("router host " + host + " does not resolve");
        DatagramChannel opened = DatagramChannel.open();
        try
        {
            opened.configureBlocking(false);
            opened.connect(router);
            return opened;
        }
        catch (IOException | RuntimeException x)
        {
            IO.close(opened);
            throw x;
        }
    }

    private void failed(String what, String why)
    {
        if (!warned)
        {
            warned = true;
            LOG.warn("subscription {} to router {}:{}: {}; announces go on, further problems with this router are logged at DEBUG", what, host, port, why);
        }
        else
        {
            LOG.debug("subscription {} to router {}:{}: {}", what, host, port, why);
        }
    }

    @Override
    public synchronized void close()
    {
        IO.close(channel);
        channel = null;
    }

    @Override
    public String toString()
    {
        return host + ":" + port;
    }
}
