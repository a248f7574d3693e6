package io.github.jettyuwsgi.examples.middleware;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayMiddleware;
import io.github.jettyuwsgi.gateway.Header;

/**
 * <p>The middleware WAR's only gateway code, run as a servlet Filter by {@code GatewayMiddlewareFilter} (see
 * {@code web.xml}) in front of ordinary servlets. On the way in it retires a legacy {@code /v1} path prefix (moved
 * from PATH_INFO to SCRIPT_NAME, and announced as an {@code X-Api-Version} request header) and lower-cases the
 * {@code lang} query parameter; on the way out it adds {@code X-Middleware: site} to every response.</p>
 */
public class SiteMiddleware implements GatewayMiddleware
{
    private static final String LEGACY_PREFIX = "/v1";

    @Override
    public GatewayApplication wrap(GatewayApplication next)
    {
        return (environ, startResponse) ->
        {
            retireLegacyPrefix(environ);
            lowerCaseLang(environ);
            return next.call(environ, (status, headers, excInfo) ->
            {
                List<Header> tagged = new ArrayList<>(headers);
                tagged.add(new Header("X-Middleware", "site"));
                return startResponse.start(status, tagged, excInfo);
            });
        };
    }

    private static void retireLegacyPrefix(Environ environ)
    {
        String pathInfo = environ.get("PATH_INFO", "");
        if (pathInfo.equals(LEGACY_PREFIX) || pathInfo.startsWith(LEGACY_PREFIX + "/"))
        {
            // The prefix becomes part of the mount point, as wsgiref's shift_path_info does: the servlet sees the
            // rest of the path as its path info, and its servlet path ends with /v1.
            environ.shiftPathInfo();
            environ.put("HTTP_X_API_VERSION", "1");
        }
    }

    private static void lowerCaseLang(Environ environ)
    {
        String query = environ.get("QUERY_STRING", "");
        if (query.isEmpty())
            return;
        String[] pairs = query.split("&", -1);
        boolean changed = false;
        for (int i = 0; i < pairs.length; i++)
        {
            if (pairs[i].startsWith("lang="))
            {
                String lowered = pairs[i].toLowerCase(Locale.ROOT);
                changed |= !lowered.equals(pairs[i]);
                pairs[i] = lowered;
            }
        }
        // Only a real change is written back: an unchanged QUERY_STRING lets the servlet keep the container's own
        // parameter parsing (form bodies included).
        if (changed)
            environ.put("QUERY_STRING", String.join("&", pairs));
    }
}
