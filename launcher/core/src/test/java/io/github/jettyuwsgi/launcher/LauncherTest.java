package io.github.jettyuwsgi.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.jettyuwsgi.launcher.deploy.EnvironmentLoader;
import io.github.jettyuwsgi.launcher.options.LauncherOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class LauncherTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int run(String... args)
    {
        return new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void testHelpPrintsUsageAndSucceeds()
    {
        assertEquals(0, run("--help"));
        assertEquals(LauncherOptions.usage(), out());
        assertEquals("", err());
    }

    @Test
    public void testUsageErrorIsOneLinePerProblemWithStatus2() throws IOException
    {
        Path war = Files.writeString(dir.resolve("app.war"), "");

        assertEquals(Launcher.EXIT_USAGE, run("--sockt", "127.0.0.1:3031", "--http-socket", "127.0.0.1:0", "--war", war.toString()));
        assertEquals("jetty-uwsgi: command line --sockt: unrecognized option --sockt (did you mean --socket?)" + System.lineSeparator(), err());
        assertEquals("", out());
    }

    @Test
    public void testStartFailureIsOneLineWithStatus1() throws IOException
    {
        Path war = Files.writeString(dir.resolve("app.war"), "");
        // Run from target/classes, not from the distribution's jar, the launcher has no lib/eeN to load WARs from.
        System.clearProperty(EnvironmentLoader.HOME_PROPERTY);

        assertEquals(Launcher.EXIT_FAILURE, run("--http-socket", "127.0.0.1:0", "--war", war.toString()));
        assertEquals("jetty-uwsgi: cannot start: cannot locate the launcher's home directory (expected: run as java -jar jetty-uwsgi-launcher.jar, or set -Djetty.uwsgi.home=DIR)" + System.lineSeparator(), err());
        assertFalse(err().contains("\tat "), "no stack trace");
    }

    @Test
    public void testDescribeJoinsCausesOnce()
    {
        Exception bindFailure = new IOException("Failed to bind to /127.0.0.1:3031", new BindException("Address already in use"));
        Exception wrapped = new RuntimeException(bindFailure);

        assertEquals("Failed to bind to /127.0.0.1:3031: Address already in use", Launcher.describe(bindFailure));
        assertTrue(Launcher.describe(wrapped).endsWith("Failed to bind to /127.0.0.1:3031: Address already in use"), Launcher.describe(wrapped));
        assertEquals("NullPointerException", Launcher.describe(new NullPointerException()));
    }
}
