package io.github.jettyuwsgi.gateway.servlet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PATH_INFO as nginx passes it to uWSGI ({@code $document_uri}): decoded, dot segments removed after decoding,
 * parameters kept (GatewayDifferentialIT compares the whole environ with real uWSGI's).
 */
public class ServletEnvironPathInfoTest
{
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''                | ''",
        "/                 | /",
        "/a/b              | /a/b",
        "/a/../b/./c       | /b/c",
        "/a%2F..%2Fb       | /b",
        "/a/%2E%2E/b       | /b",
        "/x/..             | /",
        "/x/.              | /x/",
        "/../../x          | /x",
        "/a..b/.c/c.       | /a..b/.c/c.",
        "/sp%20ace;p=1/x   | /sp ace;p=1/x",
        "/caf%C3%A9        | /caf\u00c3\u00a9"})
    void pathInfoAsNginxPassesIt(String raw, String expected)
    {
        assertEquals(expected, ServletEnviron.pathInfo(raw));
    }
}
