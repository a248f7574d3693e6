import java.io.IOException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The benchmark's application (run-bench.sh compiles it into a WAR at run time): 13 bytes for every GET, so that the
 * table measures the path to the application, not the application.
 */
@WebServlet("/")
public class HelloServlet extends HttpServlet
{
    private static final byte[] HELLO = "Hello, World!".getBytes();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        response.setContentType("text/plain");
        response.setContentLength(HELLO.length);
        response.getOutputStream().write(HELLO);
    }
}
