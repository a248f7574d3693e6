package io.github.jettyuwsgi.examples.counter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The session counter WAR: what a fleet of launchers keeps between the requests of one client, made visible. Each
 * answer carries the name of the instance that served it ({@value #INSTANCE_HEADER}), so that a test behind a load
 * balancer sees where every request went and whether the session followed.
 *
 * <pre>
 * GET|POST /count          count + 1 in the session (made if missing)  "count=N user=NAME"
 * GET      /show           the session as it is, nothing changed        "count=N user=NAME", 404 without a session
 * POST     /login?user=U   user U in the session (made if missing)      "count=N user=U"
 * POST     /logout         the session invalidated                      "logged out"
 * </pre>
 *
 * <p>Every answer also has {@value #COUNT_HEADER} and {@value #USER_HEADER} ("-" when nobody logged in). The
 * instance name is the environment variable {@value #INSTANCE_VARIABLE} (the launcher's {@code --env}), else
 * "HOST:PID".</p>
 */
public class SessionCounterServlet extends HttpServlet
{
    public static final String INSTANCE_HEADER = "X-Instance";
    public static final String COUNT_HEADER = "X-Count";
    public static final String USER_HEADER = "X-User";
    public static final String INSTANCE_VARIABLE = "INSTANCE_NAME";
    static final String COUNT = "count";
    static final String USER = "user";

    private String instance;

    @Override
    public void init()
    {
        String name = System.getenv(INSTANCE_VARIABLE);
        instance = name == null || name.isBlank() ? host() + ":" + ProcessHandle.current().pid() : name;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        switch (action(request))
        {
            case "count" -> answer(response, count(request.getSession(true)));
            case "show" ->
            {
                HttpSession session = request.getSession(false);
                if (session == null)
                    fail(response, HttpServletResponse.SC_NOT_FOUND, "no session");
                else
                    answer(response, session);
            }
            default -> fail(response, HttpServletResponse.SC_NOT_FOUND, "unknown path " + request.getPathInfo() + " (expected: /count, /show, /login, /logout)");
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        switch (action(request))
        {
            case "count" -> answer(response, count(request.getSession(true)));
            case "login" ->
            {
                String user = request.getParameter(USER);
                if (user == null || user.isBlank())
                {
                    fail(response, HttpServletResponse.SC_BAD_REQUEST, "user: missing (expected: /login?user=NAME)");
                    return;
                }
                HttpSession session = request.getSession(true);
                session.setAttribute(USER, user);
                answer(response, session);
            }
            case "logout" ->
            {
                HttpSession session = request.getSession(false);
                if (session != null)
                    session.invalidate();
                write(response, "logged out");
            }
            default -> fail(response, HttpServletResponse.SC_NOT_FOUND, "unknown path " + request.getPathInfo() + " (expected: /count, /show, /login, /logout)");
        }
    }

    private static String action(HttpServletRequest request)
    {
        String path = request.getPathInfo();
        return path == null ? "" : path.substring(1);
    }

    private static HttpSession count(HttpSession session)
    {
        // one client's requests may overlap; the session object is shared by the requests of one instance
        synchronized (session)
        {
            Integer count = (Integer)session.getAttribute(COUNT);
            session.setAttribute(COUNT, count == null ? 1 : count + 1);
        }
        return session;
    }

    private void answer(HttpServletResponse response, HttpSession session) throws IOException
    {
        Integer count = (Integer)session.getAttribute(COUNT);
        String user = (String)session.getAttribute(USER);
        response.setHeader(COUNT_HEADER, String.valueOf(count == null ? 0 : count));
        response.setHeader(USER_HEADER, user == null ? "-" : user);
        write(response, "count=" + (count == null ? 0 : count) + " user=" + (user == null ? "-" : user));
    }

    private void fail(HttpServletResponse response, int status, String message) throws IOException
    {
        response.setStatus(status);
        write(response, message);
    }

    private void write(HttpServletResponse response, String body) throws IOException
    {
        response.setHeader(INSTANCE_HEADER, instance);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().println(body);
    }

    private static String host()
    {
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException x)
        {
            return "localhost";
        }
    }
}
