package io.github.jettyuwsgi.gateway.host;

import java.util.Map;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.EnvironKeys;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;

/**
 * The first step from an environ to a Jetty request: the environ's CGI keys as the {@link UwsgiVars} a uwsgi packet would
 * carry, so that {@link io.github.jettyuwsgi.uwsgi.UwsgiRequestMapping} (the connector's one mapping) does the rest.
 */
final class EnvironVars
{
    /**
     * The var the mapping reads for the scheme ahead of {@code HTTPS}; PEP 3333 makes the scheme a required key, so it
     * is authoritative here as it is in a uwsgi packet from a Python-aware frontend.
     */
    static final String URL_SCHEME_VAR = "wsgi.url_scheme";

    private EnvironVars()
    {
    }

    /**
     * @param environ a gateway environ
     * @return its CGI keys (every key without a dot whose value is a String), in the environ's order, plus
     * {@value #URL_SCHEME_VAR} from {@code gateway.url_scheme}
     */
    static UwsgiVars of(Environ environ)
    {
        Map<String, Object> map = environ.asMap();
        UwsgiVars vars = new UwsgiVars(map.size() + 1);
        for (Map.Entry<String, Object> entry : map.entrySet())
        {
            // Dotted keys are the server's and middleware's extensions (gateway.*, jwsgi.*), never request data.
            if (entry.getKey().indexOf('.') < 0 && entry.getValue() instanceof String value)
                vars.add(entry.getKey(), value);
        }
        if (map.get(EnvironKeys.URL_SCHEME) instanceof String scheme && !scheme.isEmpty())
            vars.add(URL_SCHEME_VAR, scheme);
        return vars;
    }
}
