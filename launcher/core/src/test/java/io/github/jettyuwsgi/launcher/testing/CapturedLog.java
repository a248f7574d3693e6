package io.github.jettyuwsgi.launcher.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.management.DynamicMBean;
import javax.management.JMException;

import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The log lines of one test, for assertions on what an operator would read: while open, everything written to
 * {@code System.err} (where Jetty's {@code StdErrAppender} writes, as the launcher's {@code LogFile} relies on) is also
 * kept here, and one logger is set to the level the test needs. Closing restores both.
 *
 * <p>The level is set through the JMX operations of jetty-slf4j-impl's logger factory, because that implementation is
 * only on the runtime class path of the launcher.</p>
 */
public final class CapturedLog implements AutoCloseable
{
    private static final String[] SET_LEVEL_SIGNATURE = {String.class.getName(), String.class.getName()};

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final String loggerName;
    private final String previousLevel;

    /**
     * @param logger the class whose logger gets {@code level}
     * @param level a level name of jetty-slf4j-impl, such as DEBUG
     */
    public CapturedLog(Class<?> logger, String level) throws JMException
    {
        loggerName = logger.getName();
        previousLevel = (String)factory().invoke("getLoggerLevel", new Object[]{loggerName}, new String[]{String.class.getName()});
        setLevel(level);
        System.setErr(new PrintStream(new OutputStream()
        {
            @Override
            public void write(int b)
            {
                write(new byte[]{(byte)b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length)
            {
                original.write(bytes, offset, length);
                synchronized (captured)
                {
                    captured.write(bytes, offset, length);
                }
            }

            @Override
            public void flush()
            {
                original.flush();
            }
        }, true, StandardCharsets.UTF_8));
    }

    /**
     * @return the lines logged so far that mention {@code text}
     */
    public List<String> lines(String text)
    {
        String all;
        synchronized (captured)
        {
            all = captured.toString(StandardCharsets.UTF_8);
        }
        return all.lines().filter(line -> line.contains(text)).toList();
    }

    /**
     * @return the lines that mention {@code text} at {@code level} (Jetty writes {@code :WARN :}, {@code :DEBUG:})
     */
    public List<String> lines(String level, String text)
    {
        return lines(text).stream().filter(line -> line.matches(".*:" + level + " *:.*")).toList();
    }

    /**
     * Waits, 10 s at most, until the lines that mention {@code text} satisfy {@code condition}; a test that waits
     * that long has failed.
     */
    public List<String> await(String text, Predicate<List<String>> condition) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.test(lines(text)))
        {
            if (System.nanoTime() > deadline)
                fail("log lines mentioning " + text + ": " + lines(text) + " (expected: the condition of the test within 10 s)");
            Thread.sleep(10);
        }
        return lines(text);
    }

    @Override
    public void close() throws JMException
    {
        System.setErr(original);
        setLevel(previousLevel);
    }

    private void setLevel(String level) throws JMException
    {
        factory().invoke("setLoggerLevel", new Object[]{loggerName, level}, SET_LEVEL_SIGNATURE);
    }

    private static DynamicMBean factory()
    {
        return (DynamicMBean)LoggerFactory.getILoggerFactory();
    }
}
