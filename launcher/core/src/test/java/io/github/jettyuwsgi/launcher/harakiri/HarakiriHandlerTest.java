package io.github.jettyuwsgi.launcher.harakiri;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.jettyuwsgi.launcher.testing.CapturedLog;
import io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory;
import io.github.jettyuwsgi.uwsgi.client.UwsgiClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HarakiriHandler} with harakiri = 1 s in front of real servlets in a real Jetty, asked over real sockets: the
 * raw response is read until the server closes the connection, so a second response or a hang would show.
 */
public class HarakiriHandlerTest
{
    /** Far longer than the harakiri: a test that waits this long has failed. */
    private static final int READ_TIMEOUT_MILLIS = 15_000;

    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch returned = new CountDownLatch(1);
    private final List<Integer> loggedStatuses = new CopyOnWriteArrayList<>();
    private final List<Throwable> lateFailures = new CopyOnWriteArrayList<>();
    /** The harakiri's own timers, and only those: the server's scheduler also runs Jetty's idle timeouts. */
    private final RecordingScheduler timers = new RecordingScheduler();
    private volatile AsyncContext pending;
    private Server server;
    private int port;
    private int uwsgiPort;

    @BeforeEach
    public void startServer() throws Exception
    {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServerConnector uwsgi = new ServerConnector(server, new UwsgiConnectionFactory());
        uwsgi.setHost("127.0.0.1");
        server.addConnector(uwsgi);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new SleepServlet()), "/sleep");
        context.addServlet(new ServletHolder(new StubbornServlet(false)), "/stubborn");
        context.addServlet(new ServletHolder(new StubbornServlet(true)), "/committed");
        context.addServlet(new ServletHolder(new FastServlet()), "/fast");
        ServletHolder async = new ServletHolder(new AsyncWaitServlet());
        async.setAsyncSupported(true);
        context.addServlet(async, "/async");
        timers.start();
        server.setHandler(new HarakiriHandler(1, context, timers));
        server.setRequestLog((request, response) -> loggedStatuses.add(response.getStatus()));
        server.start();
        port = connector.getLocalPort();
        uwsgiPort = uwsgi.getLocalPort();
    }

    @AfterEach
    public void stopServer() throws Exception
    {
        release.countDown();
        server.stop();
        timers.stop();
    }

    @Test
    public void testSleepingServletIsInterruptedAndAnswered504() throws Exception
    {
        String response = exchange("/sleep");

        assertTrue(response.startsWith("HTTP/1.1 504 Gateway Timeout\r\n"), response);
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the servlet's thread was interrupted");
        assertTrue(returned.await(5, TimeUnit.SECONDS));
        assertEquals(1, count(response, "HTTP/1.1 "), "one response only: " + response);
        assertFalse(response.contains("late"), "what the servlet wrote after the harakiri is discarded: " + response);
        assertFalse(response.contains("at io.github"), "no stack trace in the error page: " + response);
        assertEquals(1, lateFailures.size(), "the late write failed in the servlet: " + lateFailures);
        assertEquals(List.of(504), awaitLogged(1));
    }

    @Test
    public void testServletIgnoringTheInterruptStillGets504() throws Exception
    {
        String response = exchange("/stubborn");

        assertTrue(response.startsWith("HTTP/1.1 504 Gateway Timeout\r\n"), response);
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the interrupt was delivered, and ignored");
        assertEquals(1, count(response, "HTTP/1.1 "), response);
        release.countDown();
        assertTrue(returned.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(504), awaitLogged(1), "logged once the thread returns");
    }

    @Test
    public void testServletIgnoringTheInterruptDoesNotHoldAUwsgiFrontend() throws Exception
    {
        // a uwsgi frontend reads the response until the backend closes: the thread still inside the servlet must not
        // keep the connection open
        UwsgiClient client = UwsgiClient.tcp("127.0.0.1", uwsgiPort);
        client.setTimeout(Duration.ofMillis(READ_TIMEOUT_MILLIS));
        ByteArrayOutputStream received = new ByteArrayOutputStream();

        client.request("GET", "/stubborn", HttpFields.build().put(HttpHeader.HOST, "localhost"), 0, null, received);

        String response = received.toString(StandardCharsets.ISO_8859_1);
        assertTrue(response.startsWith("HTTP/1.1 504 Gateway Timeout\r\n"), response);
        assertEquals(1, returned.getCount(), "the servlet's thread is still inside it");
    }

    @Test
    public void testCommittedResponseIsCutOff() throws Exception
    {
        String response = exchange("/committed");

        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(response.contains("partial"), response);
        assertFalse(response.endsWith("0\r\n\r\n"), "the chunked body never ends: the client sees a truncated response: " + response);
        assertEquals(1, count(response, "HTTP/1.1 "), response);
    }

    @Test
    public void testFastRequestIsUntouched() throws Exception
    {
        String response = exchange("/fast", "Connection: close\r\n");

        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\nfast"), response);
        assertEquals(List.of(200), awaitLogged(1));
    }

    @Test
    public void testRequestsBringNoTimerOfTheirOwn() throws Exception
    {
        for (int i = 0; i < 20; i++)
        {
            assertTrue(exchange("/fast", "Connection: close\r\n").endsWith("\r\n\r\nfast"));
        }

        // one sweeper checks every deadline, as uWSGI's master does: whatever was scheduled is that one task
        assertEquals(1, timers.scheduled.stream().map(task -> task.runnable).distinct().count(),
            "tasks scheduled for 20 requests: " + timers.scheduled);
    }

    @Test
    public void testStackTraceOfTheStuckThreadGoesToTheLogNotTheClient() throws Exception
    {
        String response;
        try (CapturedLog log = new CapturedLog(HarakiriHandler.class, "INFO"))
        {
            response = exchange("/sleep");
            List<String> trace = log.await("\tat ", lines -> lines.stream().anyMatch(line -> line.contains("SleepServlet.doGet")));

            assertTrue(trace.stream().anyMatch(line -> line.contains("java.lang.Thread.sleep")), "the frame it was stuck in: " + trace);
            assertEquals(1, log.lines("HARAKIRI backtrace of thread ").size(), () -> String.valueOf(log.lines("HARAKIRI")));
        }
        assertTrue(response.startsWith("HTTP/1.1 504 Gateway Timeout\r\n"), response);
        assertFalse(response.contains("at java.") || response.contains("at org.") || response.contains("at io.github") || response.contains("SleepServlet"),
            "no stack trace sent to the client: " + response);
    }

    @Test
    public void testAsyncWaitIsAnswered504() throws Exception
    {
        String response = exchange("/async");

        assertTrue(response.startsWith("HTTP/1.1 504 Gateway Timeout\r\n"), response);
        assertEquals(1, count(response, "HTTP/1.1 "), response);
        assertEquals(List.of(504), awaitLogged(1));
        // The application completes long after. Jetty recycled the servlet request when the exchange completed, which
        // was before the connection closed (the end of the response above): the call fails in the application's
        // thread, and nothing reaches the client or the request log.
        assertThrows(IllegalStateException.class, pending::complete, "AsyncContext.complete() after the harakiri");
        assertEquals(List.of(504), loggedStatuses);
    }

    private String exchange(String path) throws IOException
    {
        // a persistent connection: if the client sees the end of it, the server closed it
        return exchange(path, "");
    }

    private String exchange(String path, String headers) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
            // read until the server closes: a timeout here is the hang the harakiri must prevent
            InputStream input = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try
            {
                for (int read = input.read(buffer); read >= 0; read = input.read(buffer))
                {
                    received.write(buffer, 0, read);
                }
            }
            catch (java.net.SocketException x)
            {
                // a reset after the bytes arrived is also the server closing
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private List<Integer> awaitLogged(int count) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (loggedStatuses.size() < count && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        return List.copyOf(loggedStatuses);
    }

    /**
     * Runs what it is given, and remembers each task it was given.
     */
    private static class RecordingScheduler extends ScheduledExecutorScheduler
    {
        private final List<RecordedTask> scheduled = new CopyOnWriteArrayList<>();

        @Override
        public Task schedule(Runnable task, long delay, TimeUnit unit)
        {
            RecordedTask recorded = new RecordedTask(task, super.schedule(task, delay, unit));
            scheduled.add(recorded);
            return recorded;
        }
    }

    private static class RecordedTask implements Scheduler.Task
    {
        private final Runnable runnable;
        private final Scheduler.Task task;

        private RecordedTask(Runnable runnable, Scheduler.Task task)
        {
            this.runnable = runnable;
            this.task = task;
        }

        @Override
        public boolean cancel()
        {
            return task.cancel();
        }

        @Override
        public String toString()
        {
            return String.valueOf(runnable);
        }
    }

    private static int count(String text, String part)
    {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private class SleepServlet extends HttpServlet
    {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
        {
            try
            {
                Thread.sleep(60_000);
                response.getWriter().print("slept");
            }
            catch (InterruptedException x)
            {
                interrupted.countDown();
                try
                {
                    response.getOutputStream().print("late");
                    response.flushBuffer();
                }
                catch (IOException late)
                {
                    lateFailures.add(late);
                }
            }
            finally
            {
                returned.countDown();
            }
        }
    }

    /**
     * Waits for the test's release and swallows every interrupt, optionally after committing a partial response.
     */
    private class StubbornServlet extends HttpServlet
    {
        private final boolean commitFirst;

        private StubbornServlet(boolean commitFirst)
        {
            this.commitFirst = commitFirst;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
        {
            if (commitFirst)
            {
                response.getWriter().print("partial");
                response.flushBuffer();
            }
            while (release.getCount() > 0)
            {
                try
                {
                    release.await();
                }
                catch (InterruptedException x)
                {
                    interrupted.countDown();
                }
            }
            returned.countDown();
        }
    }

    private static class FastServlet extends HttpServlet
    {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
        {
            response.getWriter().print("fast");
        }
    }

    private class AsyncWaitServlet extends HttpServlet
    {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
        {
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            pending = async;
        }
    }
}
