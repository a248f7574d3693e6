import java.util.HashMap;

/**
 * The same 13-byte hello for uWSGI's JVM plugin (jvm + jwsgi), compiled by run-bench.sh.
 */
public class HelloJwsgi
{
    public static Object[] application(HashMap<String, Object> environ)
    {
        HashMap<String, Object> headers = new HashMap<>();
        headers.put("Content-Type", "text/plain");
        headers.put("Content-Length", "13");
        return new Object[] {200, headers, "Hello, World!"};
    }
}
