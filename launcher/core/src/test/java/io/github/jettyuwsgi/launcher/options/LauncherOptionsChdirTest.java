package io.github.jettyuwsgi.launcher.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code chdir}, {@code env}, {@code unenv} and {@code logto} as {@link LauncherOptions} reads them: which relative
 * paths go under chdir follows uWSGI 2.0.21, whose pidfile and logto are opened before its chdir() and everything
 * else after it.
 */
public class LauncherOptionsChdirTest
{
    @TempDir
    Path dir;

    @Test
    public void testPathsUwsgiReadsAfterItsChdirAreResolvedAgainstIt() throws IOException
    {
        Path app = Files.createDirectories(dir.resolve("app"));
        Path absoluteWar = Files.writeString(dir.resolve("other.war"), "");
        LauncherOptions options = LauncherOptions.parse(
            "--war", "app.war",
            "--mount", "/abs=" + absoluteWar,
            "--mount", "/shop=wars/shop.war",
            "--classpath", "classes",
            "--realm", "users=etc/users.properties",
            "--touch-reload", "reload.txt",
            "--master-fifo", "app.fifo",
            "--socket", "run/app.sock",
            "--socket", "127.0.0.1:3031",
            "--http-socket", "/abs/http.sock",
            "--pidfile", "app.pid",
            "--logto", "app.log",
            // anywhere on the line, as uWSGI applies chdir after reading the whole configuration
            "--chdir", app.toString());

        assertEquals(List.of(new LauncherOptions.Mount("/", app.resolve("app.war")), new LauncherOptions.Mount("/abs", absoluteWar),
            new LauncherOptions.Mount("/shop", app.resolve("wars/shop.war"))), options.getDeployments());
        assertEquals(List.of(app.resolve("classes")), options.getClasspath());
        assertEquals(Map.of("users", app.resolve("etc/users.properties")), options.getRealms());
        assertEquals(List.of(app.resolve("reload.txt")), options.getTouchReload());
        assertEquals(app.resolve("app.fifo"), options.getMasterFifo());
        assertEquals(app.resolve("run/app.sock"), options.getUwsgiSockets().get(0).getUnixPath());
        assertEquals(3031, options.getUwsgiSockets().get(1).getPort());
        assertEquals(Path.of("/abs/http.sock"), options.getHttpSockets().get(0).getUnixPath());
        assertEquals(Path.of("app.pid"), options.getPidFile());
        assertEquals(Path.of("app.log"), options.getLogTo());
    }

    @Test
    public void testAProblemWithAResolvedPathNamesTheChdirValue()
    {
        Path app = dir.resolve("app");
        LauncherOptions options = LauncherOptions.parse("--http-socket", "127.0.0.1:0", "--war", "app.war", "--chdir", app.toString());

        assertEquals(List.of("chdir: " + app + " is not a directory (expected: an existing directory)",
            "--war: " + app.resolve("app.war") + " does not exist (expected: a WAR file or an exploded WAR directory)"), options.validate());
    }

    @Test
    public void testASocketTooLongUnderChdirIsAProblem() throws IOException
    {
        Path deep = Files.createDirectories(dir.resolve("d".repeat(100)));
        LauncherOptions options = LauncherOptions.parse("--socket", "app.sock", "--war", "app.war", "--chdir", deep.toString());

        assertEquals("chdir: socket app.sock under " + deep + ": Unix socket path " + deep.resolve("app.sock") + " is " +
            deep.resolve("app.sock").toString().length() + " bytes long (expected: at most 107)", options.validate().get(0));
    }

    @Test
    public void testEnvAndUnenv()
    {
        LauncherOptions options = LauncherOptions.parse("--env", "A=1", "--env", "B", "--unenv", "C", "--env", "D=x=y", "--env", "E=");

        assertEquals("1", options.getEnv().get("A"));
        assertNull(options.getEnv().get("B"));
        assertEquals(true, options.getEnv().containsKey("B"));
        assertEquals(true, options.getEnv().containsKey("C"));
        assertEquals("x=y", options.getEnv().get("D"));
        assertEquals("", options.getEnv().get("E"));
    }

    @Test
    public void testEnvAndUnenvMistakes()
    {
        LauncherOptions options = LauncherOptions.parse("--http-socket", "127.0.0.1:0", "--app", "demo.App", "--classpath", dir.toString(),
            "--env", "=1", "--unenv", "A=1");

        assertEquals(List.of("--env: '=1' (expected: KEY=VALUE without NUL characters, or KEY alone to remove it)",
            "--unenv: 'A=1' (expected: the name of an environment variable)"), options.validate());
    }

    @Test
    public void testNulInAnEnvLineIsAMistakeNotAStackTrace() throws IOException
    {
        // a command line cannot carry NUL, an ini file can; the JVM's environment map would throw on it
        Path ini = Files.writeString(dir.resolve("nul.ini"), "[uwsgi]\nenv = A=x\0y\nunenv = B\0\n");
        LauncherOptions options = LauncherOptions.parse("--http-socket", "127.0.0.1:0", "--app", "demo.App", "--classpath", dir.toString(),
            "--ini", ini.toString());

        assertEquals(List.of(ini + ":2: env: 'A=x\\0y' (expected: KEY=VALUE without NUL characters, or KEY alone to remove it)",
            ini + ":3: unenv: 'B\\0' (expected: the name of an environment variable)"), options.validate());
    }

    @Test
    public void testLogtoToAUdpAddressIsRefused()
    {
        LauncherOptions options = LauncherOptions.parse("--http-socket", "127.0.0.1:0", "--app", "demo.App", "--classpath", dir.toString(),
            "--logto", "127.0.0.1:514");

        assertEquals(List.of("--logto: '127.0.0.1:514' is a UDP address to uWSGI, which the launcher does not send to (expected: a file path without ':')"),
            options.validate());
        assertNull(options.getLogTo());
    }
}
