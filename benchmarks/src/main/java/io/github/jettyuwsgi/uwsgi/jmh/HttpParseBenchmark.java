package io.github.jettyuwsgi.uwsgi.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.MetaData;
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
 * The baseline for {@link UwsgiParseBenchmark}: Jetty's own {@link HttpParser} on the HTTP/1.1 request that the captured
 * uwsgi packet describes (rebuilt by {@link EquivalentHttpRequest}), up to the same {@code MetaData.Request}.
 *
 * <p>{@link #parseReusedParser()} is Jetty's steady state on a keep-alive connection (one parser per connection, reset
 * per request); {@link #parseNewParser()} adds a parser per request, the situation of a uwsgi backend, whose frontends
 * open one connection per request.</p>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class HttpParseBenchmark
{
    /** Jetty's default {@code HttpConfiguration.getRequestHeaderSize()}. */
    private static final int REQUEST_HEADER_SIZE = 8 * 1024;

    @Param({"nginx-get.bin", "nginx-get-debian-params.bin", "apache-get.bin", "nginx-post-form.bin"})
    public String capture;

    @Param({"heap", "direct"})
    public String buffer;

    private ByteBuffer request;
    private final MetaDataRequestHandler handler = new MetaDataRequestHandler();
    private HttpParser parser;

    @Setup
    public void setup()
    {
        CapturedPacket captured = CapturedPacket.load(capture);
        request = CapturedPacket.toBuffer(EquivalentHttpRequest.head(captured.vars()), buffer);
        parser = newParser();
        // Fail here, not with a silently cheap benchmark, if the head does not parse to a request.
        MetaData.Request parsed = parseNewParser();
        if (parsed == null || request.hasRemaining())
            throw new IllegalStateException(capture + ": HTTP head parsed to " + parsed + " with " + request.remaining() + " bytes left (expected: a request, 0 bytes left)");
    }

    private HttpParser newParser()
    {
        HttpParser newParser = new HttpParser(handler, REQUEST_HEADER_SIZE, HttpCompliance.RFC9110);
        handler.setParser(newParser);
        return newParser;
    }

    /**
     * @return the request, parsed by the one parser of a keep-alive connection
     */
    @Benchmark
    public MetaData.Request parseReusedParser()
    {
        request.position(0);
        parser.reset();
        handler.setParser(parser);
        parser.parseNext(request);
        return handler.takeRequest();
    }

    /**
     * @return the request, parsed by a parser made for it
     */
    @Benchmark
    public MetaData.Request parseNewParser()
    {
        request.position(0);
        newParser().parseNext(request);
        return handler.takeRequest();
    }
}
