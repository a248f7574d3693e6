package io.github.jettyuwsgi.launcher.dist;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution run the way a uWSGI operator runs it: from an ini file written for uWSGI, with its process
 * options and a typo, and checked with {@code --show-config} and {@code --dry-run} before a deploy.
 */
class LauncherIniConfigIT
{
    @TempDir
    Path work;

    private Path uwsgiIni() throws Exception
    {
        return Files.writeString(work.resolve("app.ini"), String.join("\n",
            "[uwsgi]",
            "master = true",
            "processes = 4",
            "thread = 4",
            "socket = 127.0.0.1:0",
            "buffer-size = 32k",
            "mount = /legacy=" + LauncherRun.war(FeaturesWarChecks.LEGACY_WAR),
            "") + "\n");
    }

    @Test
    void testServesFromAnIniFileAndReportsWhatItIgnores() throws Exception
    {
        try (LauncherRun launcher = LauncherRun.start(work, "--ini", uwsgiIni().toString()))
        {
            int port = launcher.boundPort("uwsgi");
            assertEquals(200, UwsgiPacket.get("/legacy/hello").sendTo(port).getStatus());
            String log = launcher.log();
            assertTrue(log.contains("jetty-uwsgi: warning: option master ignored: the JVM is a single process"), launcher::describe);
            assertTrue(log.contains("jetty-uwsgi: warning: option processes ignored: "), launcher::describe);
            assertTrue(log.contains(":4: unknown option \"thread\" is never used as a placeholder; did you mean \"threads\"?"), launcher::describe);
            assertTrue(log.contains("buffer-size = 32k read as 32768 bytes"), launcher::describe);
            assertEquals(143, launcher.stop());
        }
    }

    @Test
    void testShowConfigAndDryRunDoNotStart() throws Exception
    {
        Path ini = uwsgiIni();

        LauncherRun.Finished run = LauncherRun.runToEnd(work, ini.toString(), "--threads", "16", "--show-config", "--dry-run");

        assertEquals(0, run.status(), run::err);
        assertEquals("\n;uWSGI instance configuration\n[uwsgi]\nthreads = 16\nshow-config = true\ndry-run = true\n" +
            "master = true\nprocesses = 4\nthread = 4\nsocket = 127.0.0.1:0\nbuffer-size = 32k\nmount = /legacy=" + LauncherRun.war(FeaturesWarChecks.LEGACY_WAR) + "\n" +
            ";end of configuration\n\n" +
            "jetty-uwsgi: configuration OK: 1 uwsgi socket(s), 0 http socket(s), 1 WAR(s); not started (--dry-run)\n", run.out());
    }

    @Test
    void testStrictMakesTheTypoAnError() throws Exception
    {
        LauncherRun.Finished run = LauncherRun.runToEnd(work, "--strict", "--ini", uwsgiIni().toString());

        assertEquals(2, run.status(), run::err);
        assertTrue(run.err().endsWith(":4: unknown option \"thread\" with strict = true; did you mean \"threads\"?\n"), run::err);
        assertEquals("", run.out());
    }
}
