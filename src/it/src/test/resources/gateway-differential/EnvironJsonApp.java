package differential;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseBody;
import io.github.jettyuwsgi.gateway.StartResponse;

/**
 * The gateway half of GatewayDifferentialIT, served by the launcher with --app: the same logic as environ_app.py,
 * which real uWSGI serves. Answers with every String value of its environ as JSON, the body as "_body", and the JSON
 * again, base64, in the X-Environ header.
 */
public class EnvironJsonApp implements GatewayApplication
{
    @Override
    public ResponseBody call(Environ environ, StartResponse startResponse)
    {
        Map<String, String> report = new TreeMap<>();
        for (Map.Entry<String, Object> entry : environ.asMap().entrySet())
        {
            if (entry.getValue() instanceof String value)
                report.put(entry.getKey(), value);
        }
        report.put("_body", new String(environ.input().read(), StandardCharsets.ISO_8859_1));
        byte[] json = json(report).getBytes(StandardCharsets.US_ASCII);
        startResponse.start("200 OK", List.of(new Header("Content-Type", "application/json"),
            new Header("X-Environ", Base64.getEncoder().encodeToString(json))));
        return ResponseBody.of(json);
    }

    /** As Python's json.dumps(ensure_ascii=True): every char outside printable ASCII as a backslash-u escape. */
    private static String json(Map<String, String> map)
    {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, String> entry : map.entrySet())
        {
            if (out.length() > 1)
                out.append(", ");
            string(out, entry.getKey());
            out.append(": ");
            string(out, entry.getValue());
        }
        return out.append('}').toString();
    }

    private static void string(StringBuilder out, String text)
    {
        out.append('"');
        for (char c : text.toCharArray())
        {
            if (c == '"' || c == '\\')
                out.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e)
                out.append(String.format("\\u%04x", (int)c));
            else
                out.append(c);
        }
        out.append('"');
    }
}
