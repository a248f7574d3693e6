package io.github.jettyuwsgi.examples.features;

import java.io.IOException;
import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reads the {@code greeting} env-entry of web.xml both ways an application can: injected by {@code @Resource}, and
 * looked up in {@code java:comp/env}. Both need the container's JNDI and "plus" support.
 */
@WebServlet("/jndi")
public class JndiServlet extends HttpServlet
{
    @Resource(name = "greeting")
    private String injectedGreeting;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        String lookedUp;
        try
        {
            lookedUp = (String)new InitialContext().lookup("java:comp/env/greeting");
        }
        catch (NamingException x)
        {
            lookedUp = "lookup failed: " + x;
        }
        Responses.text(response, "lookup=" + lookedUp + "\ninjected=" + injectedGreeting);
    }
}
