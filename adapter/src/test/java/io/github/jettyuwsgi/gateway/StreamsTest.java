package io.github.jettyuwsgi.gateway;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * <p>The error stream and the file wrapper.</p>
 */
class StreamsTest
{
    @Test
    void errorsAreCutIntoLines()
    {
        List<String> lines = new ArrayList<>();
        GatewayErrors errors = GatewayErrors.lines(lines::add);
        errors.write("first li");
        errors.write("ne\nsecond\nthi");
        assertEquals(List.of("first line", "second"), lines);
        errors.writelines(List.of("rd", " €"));
        errors.flush();
        assertEquals(List.of("first line", "second", "third €"), lines);
    }

    @Test
    void fileWrapperReadsBlocksLazilyAndClosesTheFile() throws Exception
    {
        AtomicInteger closes = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        ByteArrayInputStream file = new ByteArrayInputStream("0123456789".getBytes(StandardCharsets.US_ASCII))
        {
            @Override
            public synchronized int read(byte[] b, int off, int len)
            {
                reads.incrementAndGet();
                return super.read(b, off, len);
            }

            @Override
            public void close()
            {
                closes.incrementAndGet();
            }
        };
        ResponseBody body = new Environ().fileWrapper().wrap(file, 4);
        assertEquals(0, reads.get(), "nothing may be read before the server iterates");
        List<String> blocks = new ArrayList<>();
        body.forEach(b -> blocks.add(new String(b, StandardCharsets.US_ASCII)));
        body.close();
        assertEquals(List.of("0123", "4567", "89"), blocks);
        assertEquals(1, closes.get());
    }
}
