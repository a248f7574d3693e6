package io.github.jettyuwsgi.launcher.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the launcher asks {@code systemd-notify} to send, seen by a stand-in program that records its arguments and
 * environment (the datagrams themselves reach a real receiver in RestartIT).
 */
public class SystemdNotifyTest
{
    @TempDir
    Path directory;

    private Path recorder() throws Exception
    {
        Path script = directory.resolve("systemd-notify");
        Files.writeString(script, "#!/bin/sh\necho \"$NOTIFY_SOCKET $*\" >> \"" + directory.resolve("sent") + "\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void readyReloadingAndStoppingGoToTheNotifySocket() throws Exception
    {
        SystemdNotify notify = new SystemdNotify(recorder().toString(), "/run/systemd/notify", 42);
        assertTrue(notify.isEnabled());
        notify.ready("serving");
        notify.reloading("reloading (SIGHUP)");
        notify.stopping("stopping");
        // STOPPING is not waited for
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.readAllLines(directory.resolve("sent")).size() < 3 && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        var sent = Files.readAllLines(directory.resolve("sent"));
        assertEquals(3, sent.size(), sent.toString());
        assertEquals("/run/systemd/notify --pid=42 --ready --status=serving", sent.get(0));
        assertTrue(sent.get(1).matches("/run/systemd/notify --pid=42 --status=reloading \\(SIGHUP\\) RELOADING=1 MONOTONIC_USEC=[0-9]+"), sent.get(1));
        assertEquals("/run/systemd/notify --pid=42 --status=stopping STOPPING=1", sent.get(2));
    }

    @Test
    void withoutNotifySocketNothingIsSent() throws Exception
    {
        SystemdNotify notify = new SystemdNotify(recorder().toString(), null, 42);
        assertFalse(notify.isEnabled());
        notify.ready("serving");
        notify.reloading("reloading");
        assertFalse(Files.exists(directory.resolve("sent")));
    }
}
