package io.github.jettyuwsgi.launcher.process;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * uWSGI's {@code logto} for the launcher: the file that receives, from {@link #redirectStandardStreams()} on,
 * everything written to {@code System.out} and {@code System.err}: the launcher's and Jetty's log (jetty-slf4j-impl's
 * appender looks up {@code System.err} at every line), the request log (the same appender) and the applications'
 * own prints. {@link #reopen()} closes it and opens the same path again, for logrotate's rename then
 * {@code master-fifo l}.
 *
 * <p>As uWSGI does, the file is appended to, and created with mode 640 (less the umask). uWSGI redirects the file
 * descriptors 1 and 2, which the JVM cannot do: what bypasses {@code System.out}/{@code System.err} still reaches the
 * terminal, i.e. the JVM's own messages (a crash report, a thread dump on SIGQUIT) and the output of child processes
 * started with {@code inheritIO()}.</p>
 *
 * <p>A write that fails (a full disk: {@code ENOSPC}) drops what it had to write and returns, so no request ever
 * waits or fails for its log line; the first failure is reported once on the standard error the launcher started
 * with, and the first write that succeeds again says how many were dropped.</p>
 */
final class LogFile
{
    private static final Logger LOG = LoggerFactory.getLogger(LogFile.class);

    private final Path path;
    private final SwitchableOutputStream stream;

    private LogFile(Path path, OutputStream first)
    {
        this.path = path;
        this.stream = new SwitchableOutputStream(path, first);
    }

    /**
     * @param file the {@code logto} value; a relative path is taken from the launch directory, as in uWSGI
     * @return the file, open for appending
     * @throws IOException with a one-line message if it cannot be opened for appending
     */
    static LogFile open(Path file) throws IOException
    {
        Path path = file.toAbsolutePath();
        return new LogFile(path, openForAppend(path));
    }

    private static OutputStream openForAppend(Path path) throws IOException
    {
        try
        {
            return Channels.newOutputStream(Files.newByteChannel(path,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----"))));
        }
        catch (AccessDeniedException x)
        {
            throw new IOException("logto " + path + ": permission denied (expected: a file the launcher may create or append to)", x);
        }
        catch (NoSuchFileException x)
        {
            throw new IOException("logto " + path + ": directory " + path.getParent() + " does not exist (expected: an existing directory)", x);
        }
        catch (FileSystemException x)
        {
            throw new IOException("logto " + path + ": " + (x.getReason() == null ? x.getClass().getSimpleName() : x.getReason()) + " (expected: a file the launcher may append to)", x);
        }
    }

    /**
     * @return the absolute path of the file
     */
    Path path()
    {
        return path;
    }

    /**
     * Points {@code System.out} and {@code System.err} at this file. Each print is written through at once, as on
     * the terminal, so nothing is lost when the JVM stops.
     */
    void redirectStandardStreams()
    {
        // two streams, as two file descriptors: an application that closes System.out does not silence System.err
        stream.reportTo(System.err);
        System.setOut(new PrintStream(stream, true, Charset.defaultCharset()));
        System.setErr(new PrintStream(stream, true, Charset.defaultCharset()));
    }

    /**
     * Closes the file and opens its path again: after logrotate has renamed it, a new file. The old file gets a last
     * line saying so and the new one a first line, as uWSGI writes them; if the path cannot be opened, the old file
     * keeps receiving the log (uWSGI would stop).
     *
     * @param why what asked for it, for those lines
     * @throws IOException with a one-line message if the path cannot be opened again
     */
    void reopen(String why) throws IOException
    {
        OutputStream next = openForAppend(path);
        LOG.info("{}: reopening {}", why, path);
        stream.switchTo(next).close();
        LOG.info("{}: {} reopened", why, path);
    }

    /**
     * The stream behind {@code System.out} and {@code System.err}: whole writes go to the current file, never half to
     * the old and half to the new one, and closing it (an application calling {@code System.out.close()}) does not
     * close the log. A write that fails is dropped (see the class comment).
     */
    private static final class SwitchableOutputStream extends OutputStream
    {
        private final Path path;
        private OutputStream current;
        /** Where write failures are reported: the standard error from before the redirection. */
        private PrintStream report = System.err;
        /** The writes dropped since the last that succeeded. */
        private long dropped;

        SwitchableOutputStream(Path path, OutputStream first)
        {
            this.path = path;
            current = first;
        }

        synchronized void reportTo(PrintStream stream)
        {
            report = stream;
        }

        synchronized OutputStream switchTo(OutputStream next)
        {
            OutputStream previous = current;
            current = next;
            return previous;
        }

        @Override
        public void write(int b)
        {
            write(new byte[]{(byte)b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length)
        {
            try
            {
                current.write(bytes, offset, length);
            }
            catch (IOException x)
            {
                if (dropped++ == 0)
                    report.println("logto " + path + ": write failed: " + x.getMessage() + " (expected: room to append to the file); " +
                        "log lines are dropped, and requests served, until a write succeeds again");
                return;
            }
            if (dropped > 0)
            {
                report.println("logto " + path + ": writing again after " + dropped + " failed writes were dropped");
                dropped = 0;
            }
        }

        @Override
        public synchronized void flush()
        {
            try
            {
                current.flush();
            }
            catch (IOException x)
            {
                // the channel's stream buffers nothing: a failure shows in write, where it is reported
            }
        }

        @Override
        public void close()
        {
            // the log outlives whoever closes System.out
        }
    }
}
