package io.github.jettyuwsgi.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GatewayMiddlewareTest
{
    private static GatewayMiddleware recording(String name, List<String> trace)
    {
        return next -> (environ, startResponse) ->
        {
            trace.add(name + " in");
            ResponseBody body = next.call(environ, (status, headers, excInfo) ->
            {
                trace.add(name + " start_response");
                return startResponse.start(status, headers, excInfo);
            });
            trace.add(name + " out");
            return body;
        };
    }

    @Test
    void firstDeclaredIsOutermost() throws Exception
    {
        List<String> trace = new ArrayList<>();
        GatewayApplication app = (environ, startResponse) ->
        {
            trace.add("app");
            startResponse.start("200 OK", List.of());
            return ResponseBody.empty();
        };
        GatewayApplication composed = GatewayMiddleware.compose(recording("m1", trace), recording("m2", trace), recording("m3", trace)).wrap(app);
        new GatewayExchange(new RecordingSink()).run(composed, new Environ());
        assertEquals(List.of("m1 in", "m2 in", "m3 in", "app", "m3 start_response", "m2 start_response", "m1 start_response",
            "m3 out", "m2 out", "m1 out"), trace);
    }

    @Test
    void middlewareRewritesEnvironAndBody() throws Exception
    {
        GatewayMiddleware prefix = next -> (environ, startResponse) ->
        {
            environ.shiftPathInfo();
            return next.call(environ, startResponse);
        };
        GatewayMiddleware upper = next -> (environ, startResponse) ->
        {
            ResponseBody inner = next.call(environ, startResponse);
            List<byte[]> out = new ArrayList<>();
            for (byte[] chunk : inner)
            {
                out.add(new String(chunk, StandardCharsets.ISO_8859_1).toUpperCase().getBytes(StandardCharsets.ISO_8859_1));
            }
            inner.close();
            return ResponseBody.of(out);
        };
        GatewayApplication app = (environ, startResponse) ->
        {
            startResponse.start("200 OK", List.of());
            return ResponseBody.of((environ.get("SCRIPT_NAME") + "|" + environ.get("PATH_INFO")).getBytes(StandardCharsets.ISO_8859_1));
        };
        RecordingSink sink = new RecordingSink();
        Environ environ = new Environ().put("SCRIPT_NAME", "").put("PATH_INFO", "/api/items");
        new GatewayExchange(sink).run(GatewayMiddleware.compose(prefix, upper).wrap(app), environ);
        assertEquals("/API|/ITEMS", sink.body.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void middlewareReturningNullIsReported()
    {
        GatewayException x = assertThrows(GatewayException.class, () -> GatewayMiddleware.compose(next -> null).wrap((e, s) -> ResponseBody.empty()));
        assertEquals(true, x.getMessage().startsWith("middleware returned no application"));
    }
}
