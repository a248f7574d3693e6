package io.github.jettyuwsgi.uwsgi.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Decides whether a uwsgi connector's acceptor thread may serve the connection it has just accepted itself, with no
 * hand-off to the pool, and which acceptors a stop may interrupt. {@link AcceptedConnections} asks it on every accept;
 * the connectors route Jetty's {@code interruptAcceptors()} through it.
 *
 * <p>Two promises of Jetty's acceptors hold. <b>An acceptor is always back in {@code accept()} soon:</b> an acceptor
 * serves inline only while another one is waiting in {@code accept()}; the last one waiting hands its connection to a
 * pool thread and accepts again, so applications that block can hold all acceptors but one, and the connector then
 * works as with a hand-off per connection. <b>A stop interrupts an acceptor only where Jetty would</b> (in or around
 * {@code accept()}), never while the application runs on it: an interrupt there fails the request, and one that meets
 * an NIO channel of the application closes that channel. An acceptor found serving is skipped; when it is done it
 * returns to Jetty's acceptor loop, which sees the stop and ends.</p>
 */
final class AcceptorThreads
{
    private static final int WAITING = 0;
    private static final int SERVING = 1;
    private static final int INTERRUPTED = 2;

    /** Acceptors between the start of {@code accept()} and its return. */
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(0);

    /**
     * One acceptor as this run of the connector knows it, and its current turn: from before {@code accept()} to the end
     * of the connection it serves, if it serves one. Only its own thread calls the turn's methods. The name is the one
     * Jetty's acceptor loop gives its thread and takes away when the loop ends: a thread that no longer bears it has
     * gone back to the pool and runs other work, which a stop must not interrupt.
     */
    final class Slot
    {
        private final Thread thread;
        private final String name;
        private final AtomicInteger state = new AtomicInteger(WAITING);
        /** Acceptors still waiting when this one's {@code accept()} returned; this thread's only. */
        private int othersWaiting;

        private Slot(Thread thread)
        {
            this.thread = thread;
            this.name = thread.getName();
        }

        private boolean isAcceptor()
        {
            return thread.getName().equals(name);
        }

        /** Called when {@code accept()} returns or throws. */
        void accepted()
        {
            othersWaiting = waiting.decrementAndGet();
        }

        /**
         * @return whether this acceptor serves the connection it accepted: another acceptor is waiting in
         * {@code accept()} and no stop has interrupted this one; then {@link #served()} must follow
         */
        boolean serveHere()
        {
            return othersWaiting > 0 && state.compareAndSet(WAITING, SERVING);
        }

        /** Called when the connection served inline has been opened and has let go of this thread. */
        void served()
        {
            // An interrupt the application left behind would make the next accept() close the listening channel
            // (ClosedByInterruptException); a stop does not interrupt a serving acceptor, so the flag is not one.
            Thread.interrupted();
            state.set(WAITING);
        }
    }

    /**
     * Called when the connector starts, before its acceptors run.
     *
     * @param acceptors the connector's number of acceptor threads
     */
    void start(int acceptors)
    {
        waiting.set(0);
        slots = new AtomicReferenceArray<>(Math.max(1, acceptors));
    }

    /**
     * Makes the calling acceptor visible to a stop and counts it as waiting. The caller checks that the connector is not
     * stopping after this, so that a stop either sees the acceptor here or is seen by it.
     *
     * @param acceptorID the id Jetty gives the acceptor
     * @return the acceptor's slot, whose {@link Slot#accepted()} must be called when {@code accept()} returns or throws
     */
    Slot begin(int acceptorID)
    {
        AtomicReferenceArray<Slot> all = slots;
        Thread current = Thread.currentThread();
        Slot slot = acceptorID < all.length() ? all.get(acceptorID) : null;
        if (slot == null || slot.thread != current)
        {
            slot = new Slot(current);
            if (acceptorID < all.length())
                all.set(acceptorID, slot);
        }
        slot.state.set(WAITING);
        waiting.incrementAndGet();
        return slot;
    }

    /**
     * Interrupts the acceptors that are not serving a connection, as Jetty's {@code interruptAcceptors()} does for all.
     *
     * @param interruptAll Jetty's own, used while some acceptor has not taken its first turn yet: an acceptor unknown here
     * may be waiting in Jetty's loop, and only an interrupt ends that wait. That happens only as the connector starts;
     * a request another acceptor serves then may be interrupted, as with Jetty's acceptors.
     */
    void interrupt(Runnable interruptAll)
    {
        AtomicReferenceArray<Slot> all = slots;
        for (int i = 0; i < all.length(); i++)
        {
            if (all.get(i) == null)
            {
                interruptAll.run();
                return;
            }
        }
        for (int i = 0; i < all.length(); i++)
        {
            Slot slot = all.get(i);
            if (slot.state.compareAndSet(WAITING, INTERRUPTED) && slot.isAcceptor())
                slot.thread.interrupt();
        }
    }
}
