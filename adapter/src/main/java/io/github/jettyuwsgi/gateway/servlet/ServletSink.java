package io.github.jettyuwsgi.gateway.servlet;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.jettyuwsgi.gateway.GatewayExchange;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseRules;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;

/**
 * <p>The {@link GatewayExchange.Sink} of {@link GatewayServlet}: puts the status and headers on the
 * {@link HttpServletResponse} when the exchange releases them, and writes each chunk followed by a flush, so every
 * chunk reaches the client before the application is asked for the next one. The reason phrase is lost: Servlet 6
 * can only set a status code, and the container supplies its own phrase.</p>
 * <p>In non-blocking mode (after {@code setWriteListener}) the flush is issued only when the stream is ready; the
 * write listener asks for the next chunk once the container says the previous one went out.</p>
 */
final class ServletSink implements GatewayExchange.Sink
{
    private final HttpServletResponse response;
    private final boolean nonBlocking;
    private ServletOutputStream out;

    ServletSink(HttpServletResponse response, boolean nonBlocking)
    {
        this.response = response;
        this.nonBlocking = nonBlocking;
    }

    @Override
    public void sendHeaders(ResponseRules.Status status, List<Header> headers)
    {
        response.setStatus(status.code());
        Set<String> seen = new HashSet<>();
        for (Header header : headers)
        {
            if (header.is("Content-Length"))
                response.setContentLengthLong(Long.parseLong(header.value()));
            else if (header.is("Content-Type"))
                response.setContentType(header.value());
            // The first value replaces what the container would add itself (Server, Date); later ones add to it.
            else if (seen.add(header.name().toLowerCase(Locale.ROOT)))
                response.setHeader(header.name(), header.value());
            else
                response.addHeader(header.name(), header.value());
        }
    }

    @Override
    public void sendChunk(byte[] chunk) throws IOException
    {
        if (out == null)
            out = response.getOutputStream();
        out.write(chunk);
        if (!nonBlocking || out.isReady())
            out.flush();
    }
}
