package io.github.jettyuwsgi.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * <p>A {@link GatewayExchange.Sink} that records what a server would transmit, in order, as events such as
 * {@code "headers 200 OK [Content-Type: text/plain]"} and {@code "chunk abc"}; it can be told to fail like a client
 * that went away.</p>
 */
class RecordingSink implements GatewayExchange.Sink
{
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    ResponseRules.Status status;
    List<Header> headers;
    int failAfterChunks = -1;
    int chunks;

    @Override
    public void sendHeaders(ResponseRules.Status status, List<Header> headers)
    {
        this.status = status;
        this.headers = headers;
        StringBuilder event = new StringBuilder("headers ").append(status.code()).append(' ').append(status.reason()).append(" [");
        for (int i = 0; i < headers.size(); i++)
        {
            event.append(i == 0 ? "" : ", ").append(headers.get(i).name()).append(": ").append(headers.get(i).value());
        }
        events.add(event.append(']').toString());
    }

    @Override
    public void sendChunk(byte[] chunk) throws IOException
    {
        if (failAfterChunks >= 0 && chunks >= failAfterChunks)
            throw new IOException("broken pipe (simulated client disconnect)");
        chunks++;
        events.add("chunk " + new String(chunk, java.nio.charset.StandardCharsets.ISO_8859_1));
        body.write(chunk);
    }
}
