package io.github.jettyuwsgi.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * <p>The JDK {@link HttpClient} calls the end-to-end tests make through a frontend: a failed call becomes an
 * {@link AssertionError} that carries the servers' logs, and a download is digested as it arrives, so that a body of
 * any size takes no memory on the test side.</p>
 */
final class HttpTransfers
{
    private HttpTransfers()
    {
    }

    /**
     * What a download delivered: the response (its status and headers; the body is consumed) and the length and
     * hex SHA-256 of the body bytes received.
     */
    record Download(HttpResponse<?> response, long length, String sha256)
    {
    }

    /**
     * @return a client that speaks HTTP/1.1 only: an h2c upgrade attempt would add Upgrade and HTTP2-Settings
     * headers on some routes only
     */
    static HttpClient http11Client()
    {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * @return the first {@code length} bytes of the {@link StreamingPattern} as a request body of known length: the
     * JDK client streams it with a Content-Length instead of chunking it
     */
    static HttpRequest.BodyPublisher patternBody(long length)
    {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> StreamingPattern.stream(length)), length);
    }

    /**
     * @param what the request in the failure message ("NGINX_UWSGI_TCP GET http://...")
     * @param logs the servers' logs, for the failure message
     * @throws AssertionError when the call fails
     */
    static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> bodyHandler, String what, Supplier<String> logs)
    {
        try
        {
            return client.send(request, bodyHandler);
        }
        catch (IOException x)
        {
            throw new AssertionError(what + " failed: " + x + "\n" + logs.get(), x);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", x);
        }
    }

    /**
     * Sends {@code request} and reads the whole body into a digest.
     *
     * @param what the download in the failure message, which also says how many bytes had arrived
     * @param logs the servers' logs, for the failure message
     * @throws AssertionError when the call fails or the body breaks off
     */
    static Download download(HttpClient client, HttpRequest request, String what, Supplier<String> logs)
    {
        MessageDigest digest = StreamingPattern.newSha256();
        long length = 0;
        try
        {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body())
            {
                byte[] buffer = new byte[256 * 1024];
                for (int read = body.read(buffer); read >= 0; read = body.read(buffer))
                {
                    digest.update(buffer, 0, read);
                    length += read;
                }
            }
            return new Download(response, length, HexFormat.of().formatHex(digest.digest()));
        }
        catch (IOException x)
        {
            throw new AssertionError(what + " failed after " + length + " bytes: " + x + "\n" + logs.get(), x);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", x);
        }
    }
}
