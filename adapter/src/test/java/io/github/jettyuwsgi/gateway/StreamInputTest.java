package io.github.jettyuwsgi.gateway;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamInputTest
{
    private static GatewayInput input(String body, long contentLength)
    {
        return GatewayInput.of(new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1)), contentLength);
    }

    private static String text(byte[] bytes)
    {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void endsAtContentLengthEvenIfTheStreamGoesOn()
    {
        GatewayInput in = input("hello, next request", 5);
        assertEquals("hel", text(in.read(3)));
        assertEquals("lo", text(in.read()));
        assertEquals("", text(in.read(10)));
        assertEquals(-1, in.read(new byte[4], 0, 4));
    }

    @Test
    void terminatedInputEndsAtEndOfStream()
    {
        assertEquals("all of it", text(input("all of it", -1).read()));
    }

    @Test
    void readlineKeepsTheNewlineAndHonoursSize()
    {
        GatewayInput in = input("one\ntwo\nthree", -1);
        assertEquals("one\n", text(in.readline()));
        assertEquals("tw", text(in.readline(2)));
        assertEquals("o\n", text(in.readline()));
        assertEquals("three", text(in.readline()));
        assertEquals("", text(in.readline()));
    }

    @Test
    void readlinesAndIterationGiveTheRemainingLines()
    {
        List<String> lines = new ArrayList<>();
        input("a\nb\nc", -1).readlines().forEach(l -> lines.add(text(l)));
        assertEquals(List.of("a\n", "b\n", "c"), lines);
        List<String> iterated = new ArrayList<>();
        input("x\ny\n", -1).forEach(l -> iterated.add(text(l)));
        assertEquals(List.of("x\n", "y\n"), iterated);
        assertEquals(2, input("aa\nbb\ncc\n", -1).readlines(4).size());
    }

    @Test
    void largeBodiesStreamThroughABoundedBuffer()
    {
        long size = 3L * 1024 * 1024 + 7;
        InputStream endless = new InputStream()
        {
            @Override
            public int read()
            {
                return 'z';
            }

            @Override
            public int read(byte[] b, int off, int len)
            {
                java.util.Arrays.fill(b, off, off + len, (byte)'z');
                return len;
            }
        };
        GatewayInput in = GatewayInput.of(endless, size);
        byte[] buffer = new byte[65536];
        long total = 0;
        for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; )
        {
            total += n;
        }
        assertEquals(size, total);
    }
}
