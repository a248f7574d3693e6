package io.github.jettyuwsgi.gateway;

import java.util.HashMap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EnvironTest
{
    @Test
    void isAViewOverAnExactHashMap()
    {
        Environ environ = new Environ();
        assertSame(HashMap.class, environ.asMap().getClass());
        environ.put("PATH_INFO", "/x");
        assertEquals("/x", environ.asMap().get("PATH_INFO"));
        environ.put("PATH_INFO", null);
        assertEquals(false, environ.has("PATH_INFO"));
    }

    @Test
    void typedGettersReportTheWrongType()
    {
        Environ environ = new Environ().put("HTTP_X", 42);
        GatewayException x = assertThrows(GatewayException.class, () -> environ.get("HTTP_X"));
        assertEquals("environ HTTP_X: java.lang.Integer (expected: String)", x.getMessage());
        GatewayException missing = assertThrows(GatewayException.class, environ::input);
        assertEquals("environ gateway.input: absent (expected: a GatewayInput)", missing.getMessage());
    }

    @Test
    void httpKeyFollowsTheCgiRule()
    {
        assertEquals("HTTP_ACCEPT_ENCODING", EnvironKeys.httpKey("accept-Encoding"));
    }

    @Test
    void shiftPathInfoMovesOneSegment()
    {
        Environ environ = new Environ().put("SCRIPT_NAME", "").put("PATH_INFO", "/api/v1/items");
        assertEquals("api", environ.shiftPathInfo());
        assertEquals("/api", environ.get("SCRIPT_NAME"));
        assertEquals("/v1/items", environ.get("PATH_INFO"));
        assertEquals("v1", environ.shiftPathInfo());
        assertEquals("items", environ.shiftPathInfo());
        assertEquals("/api/v1/items", environ.get("SCRIPT_NAME"));
        assertEquals("", environ.get("PATH_INFO"));
        assertNull(environ.shiftPathInfo());
    }

    @Test
    void shiftPathInfoNeverLeavesScriptNameSlash()
    {
        Environ environ = new Environ().put("SCRIPT_NAME", "").put("PATH_INFO", "/");
        assertEquals("", environ.shiftPathInfo());
        assertEquals("", environ.get("SCRIPT_NAME"));
        assertEquals("", environ.get("PATH_INFO"));
    }

    @Test
    void requestUrlIsRebuiltAsPep3333Does()
    {
        Environ environ = new Environ().put(EnvironKeys.URL_SCHEME, "https").put("SERVER_NAME", "example.org")
            .put("SERVER_PORT", "443").put("SCRIPT_NAME", "/app").put("PATH_INFO", "/caf\u00c3\u00a9 x")
            .put("QUERY_STRING", "a=1");
        assertEquals("https://example.org/app/caf%C3%A9%20x?a=1", environ.requestUrl(true));
        environ.put("SERVER_PORT", "8443");
        assertEquals("https://example.org:8443/app/caf%C3%A9%20x", environ.requestUrl(false));
        environ.put("HTTP_HOST", "h:1");
        assertEquals("https://h:1/app/caf%C3%A9%20x", environ.requestUrl(false));
    }
}
