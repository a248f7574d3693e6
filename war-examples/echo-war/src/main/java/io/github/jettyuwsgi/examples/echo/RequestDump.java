package io.github.jettyuwsgi.examples.echo;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;

/**
 * <p>Turns everything a servlet can observe of one request into the members of the echo JSON object: the heart of
 * {@link EchoServlet}, kept apart from it so the servlet only deals with the response.</p>
 * <p>The members and their order are a contract with the integration tests that parse them (see the module's
 * README.md). Reading the request is destructive, so {@link #writeMembers(HttpServletRequest, JsonWriter)} is called
 * once per request: a form or multipart body is consumed by the container's parsers into {@code parameters} and
 * {@code parts}, any other body is read here and reported as {@code body}.</p>
 */
public final class RequestDump
{
    /**
     * The request attribute under which the uwsgi connector exposes all uwsgi vars, a
     * {@code Map<String, List<String>>} in arrival order. Spelled out rather than imported so the WAR depends on
     * nothing but the Servlet API and runs in any container.
     */
    public static final String UWSGI_VARS_ATTRIBUTE = "io.github.jettyuwsgi.uwsgi.vars";

    private static final String FORM_URLENCODED = "application/x-www-form-urlencoded";
    private static final String MULTIPART_FORM_DATA = "multipart/form-data";
    /**
     * Attributes under these prefixes belong to the container or the Servlet specification and differ between
     * containers and versions; leaving them out keeps {@code attributeNames} about what a frontend or connector added.
     */
    private static final List<String> HIDDEN_ATTRIBUTE_PREFIXES = List.of("jakarta.", "org.eclipse.jetty.");

    private RequestDump()
    {
    }

    /**
     * Writes the members of the echo object, from {@code method} to {@code attributeNames}, into the object that
     * {@code json} has open.
     */
    public static void writeMembers(HttpServletRequest request, JsonWriter json) throws IOException, ServletException
    {
        json.name("method").value(request.getMethod());
        json.name("requestURI").value(request.getRequestURI());
        json.name("requestURL").value(request.getRequestURL().toString());
        json.name("contextPath").value(request.getContextPath());
        json.name("servletPath").value(request.getServletPath());
        json.name("pathInfo").value(request.getPathInfo());
        json.name("queryString").value(request.getQueryString());
        json.name("protocol").value(request.getProtocol());
        json.name("scheme").value(request.getScheme());
        json.name("secure").value(request.isSecure());
        json.name("serverName").value(request.getServerName());
        json.name("serverPort").value(request.getServerPort());
        json.name("remoteAddr").value(request.getRemoteAddr());
        json.name("remotePort").value(request.getRemotePort());
        json.name("localAddr").value(request.getLocalAddr());
        json.name("localPort").value(request.getLocalPort());
        json.name("characterEncoding").value(request.getCharacterEncoding());
        json.name("contentType").value(request.getContentType());
        json.name("contentLength").value(request.getContentLengthLong());

        // The raw body is read before anything else touches the input stream; parameters of a non-form request
        // come from the query string only, so reading the body first changes nothing for them.
        String mediaType = mediaType(request.getContentType());
        BodyDigest body = isForm(mediaType) ? null : BodyDigest.of(request.getInputStream());

        json.name("headers");
        writeHeaders(request, json);
        json.name("cookies");
        writeCookies(request, json);
        json.name("parameters");
        writeParameters(request, json);
        json.name("parts");
        writeParts(request, MULTIPART_FORM_DATA.equals(mediaType), json);
        json.name("body");
        if (body == null)
            json.nullValue();
        else
            body.writeTo(json);
        json.name("uwsgiVars");
        writeUwsgiVars(request, json);
        // Last, so that attributes set while parsing the body are included.
        json.name("attributeNames");
        writeAttributeNames(request, json);
    }

    private static void writeHeaders(HttpServletRequest request, JsonWriter json)
    {
        json.beginArray();
        // getHeaderNames() lists each name once, in order of first arrival; a container may still list two spellings
        // of one name, and getHeaders() is case-insensitive, so skip a name already dumped to avoid doubling values.
        Set<String> seen = new HashSet<>();
        for (String name : Collections.list(request.getHeaderNames()))
        {
            String lowerCase = name.toLowerCase(Locale.ROOT);
            if (!seen.add(lowerCase))
                continue;
            for (String value : Collections.list(request.getHeaders(name)))
            {
                json.beginArray().value(lowerCase).value(value).endArray();
            }
        }
        json.endArray();
    }

    private static void writeCookies(HttpServletRequest request, JsonWriter json)
    {
        json.beginArray();
        Cookie[] cookies = request.getCookies();
        if (cookies != null)
        {
            for (Cookie cookie : cookies)
            {
                json.beginObject()
                    .name("name").value(cookie.getName())
                    .name("value").value(cookie.getValue())
                    .endObject();
            }
        }
        json.endArray();
    }

    private static void writeParameters(HttpServletRequest request, JsonWriter json)
    {
        json.beginObject();
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet())
        {
            json.name(parameter.getKey()).beginArray();
            for (String value : parameter.getValue())
            {
                json.value(value);
            }
            json.endArray();
        }
        json.endObject();
    }

    private static void writeParts(HttpServletRequest request, boolean multipart, JsonWriter json) throws IOException, ServletException
    {
        json.beginArray();
        if (multipart)
        {
            for (Part part : request.getParts())
            {
                BodyDigest content;
                try (InputStream input = part.getInputStream())
                {
                    content = BodyDigest.of(input);
                }
                json.beginObject()
                    .name("name").value(part.getName())
                    .name("filename").value(part.getSubmittedFileName())
                    .name("contentType").value(part.getContentType())
                    .name("size").value(part.getSize())
                    .name("sha256").value(content.sha256())
                    .endObject();
            }
        }
        json.endArray();
    }

    private static void writeUwsgiVars(HttpServletRequest request, JsonWriter json)
    {
        // Typed loosely on purpose: the dump must not fail, whatever a connector put under this name.
        if (!(request.getAttribute(UWSGI_VARS_ATTRIBUTE) instanceof Map<?, ?> vars))
        {
            json.nullValue();
            return;
        }
        json.beginObject();
        for (Map.Entry<?, ?> var : vars.entrySet())
        {
            json.name(String.valueOf(var.getKey())).beginArray();
            if (var.getValue() instanceof Iterable<?> values)
            {
                for (Object value : values)
                {
                    json.value(value == null ? null : value.toString());
                }
            }
            else
            {
                json.value(var.getValue() == null ? null : var.getValue().toString());
            }
            json.endArray();
        }
        json.endObject();
    }

    private static void writeAttributeNames(HttpServletRequest request, JsonWriter json)
    {
        List<String> names = new ArrayList<>();
        for (String name : Collections.list(request.getAttributeNames()))
        {
            if (HIDDEN_ATTRIBUTE_PREFIXES.stream().noneMatch(name::startsWith))
                names.add(name);
        }
        Collections.sort(names);
        json.beginArray();
        names.forEach(json::value);
        json.endArray();
    }

    /**
     * Returns the lower-case media type of a Content-Type value without its parameters, or null when there is none.
     */
    static String mediaType(String contentType)
    {
        if (contentType == null)
            return null;
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isForm(String mediaType)
    {
        return FORM_URLENCODED.equals(mediaType) || MULTIPART_FORM_DATA.equals(mediaType);
    }
}
