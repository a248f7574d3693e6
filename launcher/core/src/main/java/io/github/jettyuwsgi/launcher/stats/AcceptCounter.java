package io.github.jettyuwsgi.launcher.stats;

import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.jetty.io.SelectorManager;

/**
 * Counts the connections a listener accepts, for the {@code connections} of its entry in the stats document. A bean
 * of the connector, which hands it to its selector manager: it sees each accepted socket once, whatever the protocol
 * stack above it (TLS then HTTP is one connection here, two for a {@code Connection.Listener}).
 */
public final class AcceptCounter implements SelectorManager.AcceptListener
{
    private final LongAdder accepted = new LongAdder();

    @Override
    public void onAccepted(SelectableChannel channel)
    {
        accepted.increment();
    }

    /**
     * @return the connections accepted since the listener started
     */
    public long getAccepted()
    {
        return accepted.sum();
    }
}
