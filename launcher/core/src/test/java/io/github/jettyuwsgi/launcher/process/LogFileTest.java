package io.github.jettyuwsgi.launcher.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LogFile} on real files: what {@code System.out} and {@code System.err} receive, logrotate's rename then
 * reopen, and the one-line failures.
 */
public class LogFileTest
{
    @TempDir
    Path dir;

    private PrintStream out;
    private PrintStream err;

    @BeforeEach
    public void keepStandardStreams()
    {
        out = System.out;
        err = System.err;
    }

    @AfterEach
    public void restoreStandardStreams()
    {
        System.setOut(out);
        System.setErr(err);
    }

    @Test
    public void testStandardStreamsAreAppendedToTheFile() throws IOException
    {
        Path file = Files.writeString(dir.resolve("app.log"), "before\n");
        LogFile log = LogFile.open(file);
        log.redirectStandardStreams();

        System.out.println("to out");
        System.err.println("to err");
        System.out.close();
        System.err.println("System.err after an application closed System.out");

        assertEquals("before\nto out\nto err\nSystem.err after an application closed System.out\n", Files.readString(file));
    }

    @Test
    public void testAFullDiskDropsLinesAndSaysSoOnce() throws IOException
    {
        // /dev/full: every write fails with ENOSPC, as on a full disk
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        System.setErr(new PrintStream(terminal, true, StandardCharsets.UTF_8));
        LogFile log = LogFile.open(Path.of("/dev/full"));
        log.redirectStandardStreams();

        for (int i = 0; i < 1000; i++)
        {
            System.err.println("line " + i);
            System.out.print('x');
        }

        List<String> reported = terminal.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, reported.size(), reported::toString);
        assertEquals("logto /dev/full: write failed: No space left on device (expected: room to append to the file); " +
            "log lines are dropped, and requests served, until a write succeeds again", reported.get(0));
        assertFalse(System.err.checkError(), "the failure is not the caller's: a print never fails");
    }

    @Test
    public void testANewFileHasMode640() throws IOException
    {
        Path file = dir.resolve("new.log");
        LogFile.open(file);

        // uWSGI's S_IRUSR | S_IWUSR | S_IRGRP, less the umask (which usually leaves these bits)
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        assertTrue(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ).containsAll(mode), mode::toString);
    }

    @Test
    public void testReopenAfterARenameStartsANewFile() throws IOException
    {
        Path file = dir.resolve("app.log");
        LogFile log = LogFile.open(file);
        log.redirectStandardStreams();
        System.out.println("first");

        Path rotated = dir.resolve("app.log.1");
        Files.move(file, rotated);
        log.reopen("test");
        System.out.println("second");

        String old = Files.readString(rotated);
        String current = Files.readString(file);
        assertTrue(old.startsWith("first\n"), old);
        assertTrue(old.contains("test: reopening " + file), old);
        assertFalse(old.contains("second"), old);
        assertTrue(current.contains("test: " + file + " reopened"), current);
        assertTrue(current.endsWith("second\n"), current);
    }

    @Test
    public void testReopenThatFailsKeepsTheOldFile() throws IOException
    {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path file = logs.resolve("app.log");
        LogFile log = LogFile.open(file);
        log.redirectStandardStreams();
        Path moved = dir.resolve("moved");
        Files.move(logs, moved);

        IOException failure = assertThrows(IOException.class, () -> log.reopen("test"));
        System.out.println("still logged");

        assertEquals("logto " + file + ": directory " + logs + " does not exist (expected: an existing directory)", failure.getMessage());
        assertTrue(Files.readString(moved.resolve("app.log")).endsWith("still logged\n"));
    }

    @Test
    public void testADirectoryIsOneLine() throws IOException
    {
        Path directory = Files.createDirectories(dir.resolve("logs"));

        IOException failure = assertThrows(IOException.class, () -> LogFile.open(directory));

        assertEquals("logto " + directory + ": Is a directory (expected: a file the launcher may append to)", failure.getMessage());
    }

    @Test
    public void testARelativePathIsTakenFromTheWorkingDirectory() throws IOException
    {
        Path relative = Path.of("target", "logfile-test-" + ProcessHandle.current().pid() + ".log");
        try
        {
            assertEquals(relative.toAbsolutePath(), LogFile.open(relative).path());
        }
        finally
        {
            Files.deleteIfExists(relative);
        }
    }
}
