package io.github.jettyuwsgi.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.jetty.util.ajax.JSON;

/**
 * <p>What a client got back for one request over one route: the status, the headers and the body. The echo WAR's
 * body is its JSON dump of the request as the servlet saw it, read here with {@link #echo()} (which reads any JSON
 * object body, such as the streaming WAR's upload digest).</p>
 *
 * @param headers response headers by lower-case name (the JDK client's view: grouped, values in arrival order)
 */
public record Exchange(NginxLauncherRig.Route route, String method, int status, Map<String, List<String>> headers, byte[] body)
{
    public Exchange
    {
        TreeMap<String, List<String>> lowerCase = new TreeMap<>();
        headers.forEach((name, values) -> lowerCase.computeIfAbsent(name.toLowerCase(), n -> new ArrayList<>()).addAll(values));
        headers = lowerCase;
    }

    public String bodyText()
    {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * @return the echo JSON as maps (objects, in document order), lists (arrays), strings, longs, booleans and nulls
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> echo()
    {
        Object parsed;
        try
        {
            parsed = new OrderedJson().fromJSON(bodyText());
        }
        catch (RuntimeException x)
        {
            throw new AssertionError(this + ": body is not JSON: " + x.getMessage() + "\n" + abbreviated(), x);
        }
        if (!(parsed instanceof Map))
            throw new AssertionError(this + ": body is not a JSON object (expected: the echo WAR's dump)\n" + abbreviated());
        return (Map<String, Object>)toLists(parsed);
    }

    /**
     * @return the body as text, cut to a size that fits in a failure message
     */
    public String abbreviated()
    {
        String text = bodyText();
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "... (" + body.length + " bytes)";
    }

    @Override
    public String toString()
    {
        return route + " " + method + " -> " + status;
    }

    /**
     * Jetty's JSON with objects read into insertion-ordered maps: the order of parameters and vars is part of what
     * the tests compare.
     */
    private static final class OrderedJson extends JSON
    {
        @Override
        protected Map<String, Object> newMap()
        {
            return new LinkedHashMap<>();
        }
    }

    // Jetty's JSON reads arrays as Object[], whose equals() is identity; lists compare by content.
    private static Object toLists(Object value)
    {
        if (value instanceof Object[] array)
        {
            List<Object> list = new ArrayList<>(array.length);
            for (Object element : array)
            {
                list.add(toLists(element));
            }
            return list;
        }
        if (value instanceof Map<?, ?> map)
        {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, element) -> copy.put(String.valueOf(key), toLists(element)));
            return copy;
        }
        return value;
    }
}
