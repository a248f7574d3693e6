package io.github.jettyuwsgi.gateway;

/**
 * <p>A gateway application, the Java form of a PEP 3333 (WSGI) application: called once per request with the
 * request's {@link Environ} and a {@link StartResponse} callback, it returns the response body as a
 * {@link ResponseBody}. The application gives its status and headers to {@link StartResponse}; the server holds them
 * until the first non-empty chunk, and calls {@link ResponseBody#close()} exactly once whatever happens.</p>
 * <p>An application must be callable many times and, in a servlet container, from many threads at once
 * ({@link EnvironKeys#MULTITHREAD}). It may throw: before the headers are sent the server answers 500, after that it
 * aborts the connection.</p>
 */
@FunctionalInterface
public interface GatewayApplication
{
    /**
     * @param environ the request, a fresh mutable environ owned by this call
     * @param startResponse to be called once (again only with {@code excInfo}) before or during the first chunk
     * @return the body, never {@code null} (use {@link ResponseBody#empty()})
     * @throws Exception any failure of the application
     */
    ResponseBody call(Environ environ, StartResponse startResponse) throws Exception;
}
