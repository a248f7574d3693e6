package uwsgijvm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseBody;
import io.github.jettyuwsgi.gateway.StartResponse;

/**
 * The gateway application UwsgiJvmPluginIT runs under uWSGI's JVM plugin (compiled by the test against the
 * gateway-host class path): reports what it saw of the environ and the body, or streams {@code size=N} bytes.
 */
public class EnvironReportApp implements GatewayApplication
{
    @Override
    public ResponseBody call(Environ environ, StartResponse startResponse) throws Exception
    {
        String query = environ.get("QUERY_STRING", "");
        if (query.startsWith("size="))
        {
            long size = Long.parseLong(query.substring(5));
            startResponse.start("200 OK", new ArrayList<>(List.of(new Header("Content-Type", "application/octet-stream"),
                new Header("Content-Length", Long.toString(size)))));
            return ResponseBody.of(() -> pattern(size), () -> { });
        }
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long length = 0;
        byte[] buffer = new byte[32 * 1024];
        for (int read = environ.input().read(buffer, 0, buffer.length); read > 0; read = environ.input().read(buffer, 0, buffer.length))
        {
            digest.update(buffer, 0, read);
            length += read;
        }
        String report = "method=" + environ.get("REQUEST_METHOD") + "\n" +
            "script_name=" + environ.get("SCRIPT_NAME") + "\n" +
            "path_info=" + environ.get("PATH_INFO") + "\n" +
            "request_uri=" + environ.get("REQUEST_URI", "") + "\n" +
            "query_string=" + query + "\n" +
            "http_x_tag=" + environ.get("HTTP_X_TAG", "") + "\n" +
            "url_scheme=" + environ.urlScheme() + "\n" +
            "multiprocess=" + environ.flag("gateway.multiprocess") + "\n" +
            "body_length=" + length + "\n" +
            "body_sha256=" + HexFormat.of().formatHex(digest.digest()) + "\n";
        startResponse.start("200 OK", new ArrayList<>(List.of(new Header("Content-Type", "text/plain; charset=ISO-8859-1"))));
        // Latin-1 bytes-as-chars back to the bytes they stand for.
        return ResponseBody.of(report.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Iterator<byte[]> pattern(long size)
    {
        return new Iterator<>()
        {
            private long sent;

            @Override
            public boolean hasNext()
            {
                return sent < size;
            }

            @Override
            public byte[] next()
            {
                byte[] chunk = new byte[(int)Math.min(64 * 1024, size - sent)];
                for (int i = 0; i < chunk.length; i++)
                    chunk[i] = (byte)(sent + i);
                sent += chunk.length;
                return chunk;
            }
        };
    }
}
