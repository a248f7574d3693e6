package io.github.jettyuwsgi.examples.features;

import java.io.IOException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Behind the security constraint on {@code /secure/*} (web.xml): reached only after the container authenticated the
 * user against the realm, and says who that is and how they logged in.
 */
@WebServlet("/secure/*")
public class SecureServlet extends HttpServlet
{
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        Responses.text(response, "user=" + request.getRemoteUser() + " auth=" + request.getAuthType() + " inRole(user)=" + request.isUserInRole("user"));
    }
}
