package io.github.jettyuwsgi.uwsgi.log;

import java.util.List;
import java.util.Map;

/**
 * What {@link UwsgiRequestLog} knows about one finished request, taken from Jetty's request and response once, so that
 * formatting is a pure function of it (and testable to the byte).
 *
 * <p>Strings are as they should appear in the log: var values already turned from wire bytes into text. An absent value
 * is the empty string, which a {@code log-format} variable prints as {@code -}, as uWSGI does.</p>
 *
 * @param pid this process's id
 * @param requestNumber the 1-based count of requests this log has seen
 * @param remoteAddr REMOTE_ADDR, the address the frontend reports for its client
 * @param remoteUser the authenticated user, or REMOTE_USER from the frontend
 * @param method the HTTP method
 * @param uri REQUEST_URI, path and query as the client sent them
 * @param protocol SERVER_PROTOCOL, e.g. HTTP/1.1
 * @param host HTTP_HOST
 * @param userAgent HTTP_USER_AGENT
 * @param referer HTTP_REFERER
 * @param varCount the number of var names and values in the packet (uWSGI counts both: 15 vars are "30 vars")
 * @param varsBytes the size of the packet's vars block (the header's datasize)
 * @param beginEpochMillis when the request began, milliseconds since the epoch
 * @param elapsedMicros from the request's beginning to the log call
 * @param status the response status
 * @param bodyBytes the response body bytes written
 * @param headerCount the response header lines, status line excluded
 * @param headerBytes the response head in bytes: status line, header lines and the blank line
 * @param contentLength the request's CONTENT_LENGTH, 0 when absent
 * @param vars every var of the packet, for {@code %(var.NAME)}; empty for a request that did not come over uwsgi
 */
public record RequestLogEntry(
    long pid,
    long requestNumber,
    String remoteAddr,
    String remoteUser,
    String method,
    String uri,
    String protocol,
    String host,
    String userAgent,
    String referer,
    int varCount,
    int varsBytes,
    long beginEpochMillis,
    long elapsedMicros,
    int status,
    long bodyBytes,
    int headerCount,
    long headerBytes,
    long contentLength,
    Map<String, List<String>> vars)
{
}
