package io.github.jettyuwsgi.launcher.dist;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import io.github.jettyuwsgi.uwsgi.client.UwsgiClient;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --harakiri 1} in the real launcher, over its uwsgi socket as a frontend uses it: the features WAR's
 * {@code /slow} servlet, asked to sleep 10 s, is interrupted after 1 or 2 s (the sweeper's 1 s precision) and the
 * frontend gets a 504 and the end of the connection (a uwsgi frontend reads until the backend closes), with one WARN
 * line, the stuck thread's stack trace in the log (never in the response), and a request-log line saying 504.
 */
class HarakiriIT
{
    @TempDir
    Path work;

    @Test
    void testSlowRequestIsAnswered504AndLogged() throws Exception
    {
        // the features WAR declares a login-config: it needs its realm, though /slow is not protected
        Path users = Files.writeString(work.resolve("users.properties"), "alice: secret,user\n");
        try (LauncherRun launcher = LauncherRun.start(work, "--socket", "127.0.0.1:0", "--harakiri", "1",
            "--mount", "/features=" + LauncherRun.war(FeaturesWarChecks.FEATURES_WAR), "--realm", "features=" + users))
        {
            UwsgiClient client = UwsgiClient.tcp("127.0.0.1", launcher.boundPort("uwsgi"));
            client.setTimeout(Duration.ofSeconds(20));
            HttpFields headers = HttpFields.build().put(HttpHeader.HOST, "localhost");

            long start = System.nanoTime();
            ByteArrayOutputStream slow = new ByteArrayOutputStream();
            client.request("GET", "/features/slow?millis=10000", headers, 0, null, slow);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

            String response = slow.toString(StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 504 Gateway Timeout\r\n"), response);
            assertFalse(response.contains("interrupted"), "the servlet's own answer after the interrupt is discarded: " + response);
            assertFalse(response.contains("at java.") || response.contains("at org.") || response.contains("SlowServlet"), "no stack trace sent to the client: " + response);
            assertTrue(elapsedMillis < 9000, "answered at the harakiri, not when the servlet would have finished: " + elapsedMillis + " ms");

            ByteArrayOutputStream fast = new ByteArrayOutputStream();
            client.request("GET", "/features/slow?millis=0", headers, 0, null, fast);
            assertTrue(fast.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 OK\r\n"), fast::toString);

            String log = launcher.log();
            assertTrue(Pattern.compile("HARAKIRI \\(pid: " + launcher.pid() + "\\): GET /features/slow\\?millis=10000 from 127\\.0\\.0\\.1 still running after [12] s " +
                "\\(harakiri = 1\\): thread [^\\n]+ interrupted, answered 504").matcher(log).find(), launcher::describe);
            assertEquals(1, launcher.count("HARAKIRI (pid: "), launcher::describe);
            launcher.awaitMatches(Pattern.compile("GET /features/slow\\?millis=10000 => generated \\d+ bytes in \\d+ msecs \\(HTTP/1\\.1 504\\)"), 1);
            // as uWSGI logs the backtrace of the worker it kills: the stuck thread's stack, in the servlet's sleep
            assertEquals(1, launcher.count("HARAKIRI backtrace of thread "), launcher::describe);
            assertTrue(Pattern.compile("\tat [^\n]*java\\.lang\\.Thread\\.sleep[^\n]*\n(\tat [^\n]*\n)*?\tat [^\n]*SlowServlet\\.doGet").matcher(log).find(), launcher::describe);
            assertEquals(143, launcher.stop());
        }
    }
}
