package io.github.jettyuwsgi.gateway;

import java.io.IOException;
import java.util.List;

/**
 * <p>PEP 3333's {@code start_response(status, response_headers, exc_info=None)}, given by the server to the
 * application. It stores the status and headers; nothing is sent before the first non-empty body chunk (or the first
 * non-empty {@link Write#write(byte[])}, or the end of an empty body).</p>
 * <ul>
 * <li>{@code status} is {@code "NNN Reason"}; headers are {@link Header}s. Both are checked now: hop-by-hop names
 * ({@code Connection}, {@code Transfer-Encoding}, ...), control characters (CR, LF, ...) and characters above
 * U+00FF are a {@link GatewayException} thrown to the application.</li>
 * <li>A second call is allowed only with {@code excInfo}: before the headers are sent it replaces the status and
 * headers; after, it re-raises {@code excInfo} (unchecked as itself, checked wrapped in a {@link GatewayException}),
 * and the application must let that propagate. A second call without {@code excInfo} is an error, even if the first
 * call threw.</li>
 * </ul>
 */
@FunctionalInterface
public interface StartResponse
{
    /**
     * @param status {@code "NNN Reason"}
     * @param headers the response headers; the server may modify the list
     * @param excInfo {@code null}, or the error an error handler is answering for
     * @return the legacy imperative {@code write} callable
     */
    Write start(String status, List<Header> headers, Throwable excInfo);

    /**
     * @param status {@code "NNN Reason"}
     * @param headers the response headers
     * @return the legacy imperative {@code write} callable
     */
    default Write start(String status, List<Header> headers)
    {
        return start(status, headers, null);
    }

    /**
     * <p>PEP 3333's {@code write(body_data)}: for frameworks that can only push. The bytes are treated as if they
     * had been yielded before the returned body, and are transmitted before this returns. New applications should
     * return their body instead. Must not be called from inside the body's iteration.</p>
     */
    @FunctionalInterface
    interface Write
    {
        /**
         * @param chunk bytes to send, never {@code null}
         * @throws IOException when the client has gone away
         */
        void write(byte[] chunk) throws IOException;
    }
}
