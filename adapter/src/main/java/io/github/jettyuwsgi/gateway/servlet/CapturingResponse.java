package io.github.jettyuwsgi.gateway.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.jettyuwsgi.gateway.GatewayException;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseRules;
import io.github.jettyuwsgi.gateway.StartResponse;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * <p>The response a downstream servlet writes to when the servlet chain runs as a gateway application (a middleware
 * filter, a cascade): status, headers and cookies stay here until the response commits (buffer full, flush, or the
 * end of the chain), then go to {@code start_response} in one call, and the bytes go through the {@code write}
 * callable it returned. Nothing reaches the real response except through the gateway exchange, so a middleware can
 * rewrite status, headers and body, and a cascade can discard a 404 without touching headers set upstream.</p>
 * <p>{@code sendError} produces a small {@code text/plain} body itself (container error pages are not consulted);
 * hop-by-hop headers the servlet sets are dropped, since an application may not send them.</p>
 */
final class CapturingResponse extends HttpServletResponseWrapper
{
    private static final int DEFAULT_BUFFER_SIZE = 8192;

    private final StartResponse startResponse;
    private final List<Header> headers = new ArrayList<>();
    private int status = SC_OK;
    private String contentType;
    private String characterEncoding;
    private long contentLength = -1;
    private int bufferSize = DEFAULT_BUFFER_SIZE;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private StartResponse.Write write;
    private boolean committed;
    private boolean closed;
    private ServletOutputStream outputStream;
    private PrintWriter writer;

    CapturingResponse(HttpServletResponse response, StartResponse startResponse)
    {
        super(response);
        this.startResponse = startResponse;
    }

    @Override
    public void setStatus(int sc)
    {
        if (!committed)
            status = sc;
    }

    @Override
    public int getStatus()
    {
        return status;
    }

    @Override
    public void sendError(int sc) throws IOException
    {
        sendError(sc, null);
    }

    @Override
    public void sendError(int sc, String message) throws IOException
    {
        checkNotCommitted("sendError");
        resetBuffer();
        status = sc;
        headers.removeIf(h -> h.is("Content-Length"));
        contentType = "text/plain";
        characterEncoding = "utf-8";
        writer = null;
        outputStream = null;
        byte[] body = ((message == null ? ResponseRules.reasonPhrase(sc) : message) + "\n").getBytes(StandardCharsets.UTF_8);
        contentLength = body.length;
        buffer.write(body);
        finish();
        closed = true;
    }

    @Override
    public void sendRedirect(String location) throws IOException
    {
        checkNotCommitted("sendRedirect");
        resetBuffer();
        status = SC_FOUND;
        setHeader("Location", location);
        finish();
        closed = true;
    }

    private void checkNotCommitted(String what)
    {
        if (committed)
            throw new IllegalStateException(what + ": response already committed");
    }

    @Override
    public void setHeader(String name, String value)
    {
        if (committed)
            return;
        if (name.equalsIgnoreCase("Content-Type"))
        {
            setContentType(value);
            return;
        }
        if (name.equalsIgnoreCase("Content-Length"))
        {
            contentLength = value == null ? -1 : Long.parseLong(value.trim());
            return;
        }
        headers.removeIf(h -> h.is(name));
        if (value != null)
            headers.add(new Header(name, value));
    }

    @Override
    public void addHeader(String name, String value)
    {
        if (committed || value == null)
            return;
        if (name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Length"))
            setHeader(name, value);
        else
            headers.add(new Header(name, value));
    }

    @Override
    public void setIntHeader(String name, int value)
    {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value)
    {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setDateHeader(String name, long date)
    {
        setHeader(name, httpDate(date));
    }

    @Override
    public void addDateHeader(String name, long date)
    {
        addHeader(name, httpDate(date));
    }

    private static String httpDate(long millis)
    {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC));
    }

    @Override
    public void addCookie(Cookie cookie)
    {
        StringBuilder value = new StringBuilder(cookie.getName()).append('=').append(cookie.getValue() == null ? "" : cookie.getValue());
        for (Map.Entry<String, String> attribute : cookie.getAttributes().entrySet())
        {
            value.append("; ").append(attribute.getKey());
            if (!attribute.getValue().isEmpty())
                value.append('=').append(attribute.getValue());
        }
        addHeader("Set-Cookie", value.toString());
    }

    @Override
    public boolean containsHeader(String name)
    {
        return getHeader(name) != null;
    }

    @Override
    public String getHeader(String name)
    {
        if (name.equalsIgnoreCase("Content-Type"))
            return getContentType();
        if (name.equalsIgnoreCase("Content-Length"))
            return contentLength < 0 ? null : Long.toString(contentLength);
        return headers.stream().filter(h -> h.is(name)).map(Header::value).findFirst().orElse(null);
    }

    @Override
    public Collection<String> getHeaders(String name)
    {
        return headers.stream().filter(h -> h.is(name)).map(Header::value).toList();
    }

    @Override
    public Collection<String> getHeaderNames()
    {
        return headers.stream().map(Header::name).distinct().toList();
    }

    @Override
    public void setContentType(String type)
    {
        if (committed)
            return;
        if (type == null)
        {
            contentType = null;
            return;
        }
        int semicolon = type.indexOf(';');
        int charset = type.toLowerCase(Locale.ROOT).indexOf("charset=");
        if (charset >= 0)
        {
            characterEncoding = type.substring(charset + "charset=".length()).trim();
            int end = characterEncoding.indexOf(';');
            if (end >= 0)
                characterEncoding = characterEncoding.substring(0, end).trim();
        }
        contentType = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
    }

    @Override
    public String getContentType()
    {
        if (contentType == null)
            return null;
        return characterEncoding == null ? contentType : contentType + ";charset=" + characterEncoding;
    }

    @Override
    public void setCharacterEncoding(String charset)
    {
        if (!committed && writer == null)
            characterEncoding = charset;
    }

    @Override
    public String getCharacterEncoding()
    {
        return characterEncoding == null ? "ISO-8859-1" : characterEncoding;
    }

    @Override
    public void setContentLength(int length)
    {
        setContentLengthLong(length);
    }

    @Override
    public void setContentLengthLong(long length)
    {
        if (!committed)
            contentLength = length;
    }

    @Override
    public void setBufferSize(int size)
    {
        if (buffer.size() > 0 || committed)
            throw new IllegalStateException("setBufferSize: content already written");
        bufferSize = size;
    }

    @Override
    public int getBufferSize()
    {
        return bufferSize;
    }

    @Override
    public boolean isCommitted()
    {
        return committed;
    }

    @Override
    public void reset()
    {
        checkNotCommitted("reset");
        buffer.reset();
        headers.clear();
        status = SC_OK;
        contentType = null;
        characterEncoding = null;
        contentLength = -1;
        writer = null;
        outputStream = null;
    }

    @Override
    public void resetBuffer()
    {
        checkNotCommitted("resetBuffer");
        buffer.reset();
    }

    @Override
    public void flushBuffer() throws IOException
    {
        if (writer != null)
            writer.flush();
        commit();
        drain();
    }

    @Override
    public ServletOutputStream getOutputStream()
    {
        if (writer != null)
            throw new IllegalStateException("getOutputStream: getWriter() was called");
        if (outputStream == null)
            outputStream = new CaptureStream();
        return outputStream;
    }

    @Override
    public PrintWriter getWriter()
    {
        if (outputStream != null)
            throw new IllegalStateException("getWriter: getOutputStream() was called");
        if (writer == null)
            writer = new PrintWriter(new OutputStreamWriter(new CaptureStream(), Charset.forName(getCharacterEncoding())));
        return writer;
    }

    /**
     * <p>Ends the response: what is buffered goes out, and start_response is called if nothing did yet.</p>
     */
    void finish() throws IOException
    {
        if (writer != null)
            writer.flush();
        commit();
        drain();
    }

    private void commit()
    {
        if (committed)
            return;
        committed = true;
        List<Header> list = new ArrayList<>();
        String type = getContentType();
        if (type != null)
            list.add(new Header("Content-Type", type));
        if (contentLength >= 0)
            list.add(new Header("Content-Length", Long.toString(contentLength)));
        for (Iterator<Header> it = headers.iterator(); it.hasNext(); )
        {
            Header header = it.next();
            // A servlet may set them; an application may not send them (the server owns the connection).
            if (!ResponseRules.isHopByHop(header.name()))
                list.add(header);
        }
        write = startResponse.start(status + " " + ResponseRules.reasonPhrase(status), list);
        if (write == null)
            throw new GatewayException("start_response result: null (expected: a write callable)");
    }

    private void drain() throws IOException
    {
        if (buffer.size() == 0)
            return;
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        write.write(bytes);
    }

    /**
     * <p>Buffers up to the buffer size, then commits and passes bytes to {@code write}.</p>
     */
    private final class CaptureStream extends ServletOutputStream
    {
        @Override
        public void write(int b) throws IOException
        {
            write(new byte[]{(byte)b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException
        {
            if (closed)
                return;
            buffer.write(bytes, offset, length);
            if (buffer.size() >= bufferSize)
            {
                commit();
                drain();
            }
        }

        @Override
        public void flush() throws IOException
        {
            if (closed)
                return;
            commit();
            drain();
        }

        @Override
        public void close() throws IOException
        {
            if (closed)
                return;
            finish();
            closed = true;
        }

        @Override
        public boolean isReady()
        {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener)
        {
            throw new IllegalStateException("setWriteListener: not supported behind a gateway middleware (expected: blocking writes)");
        }
    }
}
