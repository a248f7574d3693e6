package io.github.jettyuwsgi.uwsgi.jmh;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.uwsgi.UwsgiRequest;
import io.github.jettyuwsgi.uwsgi.UwsgiRequestMapping;
import io.github.jettyuwsgi.uwsgi.codec.BodyFraming;
import io.github.jettyuwsgi.uwsgi.codec.Uwsgi;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiException;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiParser;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the uwsgi side of a request: one captured packet through {@link UwsgiParser} up to {@code onVars}, and
 * then through {@link UwsgiRequestMapping} to the {@code MetaData.Request} Jetty's channel receives.
 *
 * <p>A new parser per operation, as the connection has: uwsgi carries one request per connection. The listener stops
 * at {@code onVars}, where the connection dispatches. Compare with {@link HttpParseBenchmark} on the same captures.</p>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class UwsgiParseBenchmark
{
    /** Only used when a packet has no REMOTE_ADDR; none of the benchmarked captures lacks it. */
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    @Param({"nginx-get.bin", "nginx-get-debian-params.bin", "apache-get.bin", "nginx-post-form.bin"})
    public String capture;

    @Param({"heap", "direct"})
    public String buffer;

    private ByteBuffer packet;
    private final VarsListener listener = new VarsListener();

    @Setup
    public void setup()
    {
        CapturedPacket captured = CapturedPacket.load(capture);
        packet = CapturedPacket.toBuffer(captured.packet(), buffer);
        // Fail here, not with a silently cheap benchmark, if the packet does not parse to the vars it holds.
        UwsgiVars vars = parse();
        if (vars == null || vars.size() != captured.vars().size() || packet.hasRemaining())
            throw new IllegalStateException(capture + ": parsed " + (vars == null ? "no vars" : vars.size() + " vars") + ", " + packet.remaining() +
                " bytes left (expected: " + captured.vars().size() + " vars, 0 bytes left)");
    }

    /**
     * @return the vars of the packet, as the parser hands them to the connection
     */
    @Benchmark
    public UwsgiVars parse()
    {
        packet.position(0);
        listener.vars = null;
        listener.framing = null;
        new UwsgiParser(listener, Uwsgi.MAX_DATASIZE).parse(packet);
        return listener.vars;
    }

    /**
     * @return the request Jetty's channel would receive: the full "packet to Jetty request" cost, with the framing the
     * parser derived, as the connection calls it
     */
    @Benchmark
    public UwsgiRequest parseAndMap()
    {
        UwsgiVars vars = parse();
        return UwsgiRequestMapping.map(vars, listener.framing, PEER);
    }

    /**
     * Keeps the vars and stops where the connection dispatches; a broken packet ends the run.
     */
    private static final class VarsListener implements UwsgiParser.Listener
    {
        private UwsgiVars vars;
        private BodyFraming framing;

        @Override
        public boolean onVars(UwsgiVars vars, BodyFraming framing)
        {
            this.vars = vars;
            this.framing = framing;
            return true;
        }

        @Override
        public void onFailure(UwsgiException failure)
        {
            throw new IllegalStateException("captured packet failed to parse", failure);
        }
    }
}
