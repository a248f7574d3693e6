package io.github.jettyuwsgi.launcher.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * uWSGI's {@code pidfile}: written by {@code Launcher} once the server has started (or by the emperor), read by {@code --stop}, removed
 * when the server stops if {@code vacuum} is on. A pidfile left by a process killed with {@code kill -9} is simply
 * overwritten, as uWSGI does, so it never blocks the next start.
 */
public final class PidFile
{
    private static final Logger LOG = LoggerFactory.getLogger(PidFile.class);

    private final Path path;

    public PidFile(Path path)
    {
        this.path = path.toAbsolutePath();
    }

    /**
     * Writes this process's pid, and with {@code vacuum} removes the file again when {@code owner} stops.
     *
     * @param owner what the pid stands for: the launcher's server, or the emperor
     * @param vacuum whether to remove the file when {@code owner} stops
     */
    public void write(LifeCycle owner, boolean vacuum) throws IOException
    {
        Optional<Long> previous = readPid();
        if (previous.isPresent() && previous.get() != ProcessHandle.current().pid() && ProcessHandle.of(previous.get()).map(ProcessHandle::isAlive).orElse(false))
            LOG.warn("pidfile {} named running process {}; overwritten (is another instance using the same pidfile?)", path, previous.get());
        // the format uWSGI writes ("%d\n"), so that scripts reading either work with both
        Files.writeString(path, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        if (vacuum)
        {
            owner.addEventListener(new LifeCycle.Listener()
            {
                @Override
                public void lifeCycleStopped(LifeCycle event)
                {
                    remove();
                }
            });
        }
    }

    private void remove()
    {
        try
        {
            // only our own: a newer instance may have taken the file over meanwhile
            if (readPid().orElse(-1L) == ProcessHandle.current().pid())
                Files.deleteIfExists(path);
        }
        catch (IOException x)
        {
            LOG.warn("cannot remove pidfile {}: {}", path, x.toString());
        }
    }

    /**
     * @return the pid in the file, empty if there is no file or no number in it
     */
    public Optional<Long> readPid()
    {
        try
        {
            return Optional.of(Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).strip()));
        }
        catch (IOException | NumberFormatException x)
        {
            return Optional.empty();
        }
    }

    public Path getPath()
    {
        return path;
    }
}
