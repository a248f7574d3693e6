package io.github.jettyuwsgi.captures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapturesTest
{
    private static final Path SOURCE = Paths.get("src/main/resources/io/github/jettyuwsgi/captures");

    @Test
    void indexNamesEveryFileOfTheDirectoryAndNothingElse() throws IOException
    {
        try (Stream<Path> files = Files.list(SOURCE))
        {
            List<String> onDisk = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("index.txt")).sorted().toList();
            assertEquals(onDisk, Captures.names());
        }
    }

    @Test
    void readsTheBytesFromTheClassPath() throws IOException
    {
        assertArrayEquals(Files.readAllBytes(SOURCE.resolve("uwsgi-ping-request.bin")), Captures.read("uwsgi-ping-request.bin"));
        assertArrayEquals(new byte[]{0x64, 0, 0, 0}, Captures.read("uwsgi-ping-request.bin"));
    }

    @Test
    void requestPacketsAreTheFrontendsRequests()
    {
        List<String> requests = Captures.requestPackets();
        assertTrue(requests.contains("nginx-get.bin"), requests::toString);
        assertTrue(requests.contains("uwsgi-http-router-post-chunked-raw.bin"), requests::toString);
        assertTrue(requests.stream().noneMatch(n -> n.startsWith("uwsgi-ping") || n.startsWith("uwsgi-subscribe") || n.equals("uwsgi-jwsgi-response.bin")), requests::toString);
    }

    @Test
    void anUnknownNameIsAClearError()
    {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> Captures.read("nginx-nothing.bin"));
        assertTrue(x.getMessage().startsWith("capture: nginx-nothing.bin (expected: one of ["), x.getMessage());
    }
}
