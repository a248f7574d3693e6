package io.github.jettyuwsgi.gateway.jwsgi;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.github.jettyuwsgi.gateway.Environ;
import io.github.jettyuwsgi.gateway.EnvironKeys;
import io.github.jettyuwsgi.gateway.FileWrapper;
import io.github.jettyuwsgi.gateway.GatewayApplication;
import io.github.jettyuwsgi.gateway.GatewayException;
import io.github.jettyuwsgi.gateway.GatewayInput;
import io.github.jettyuwsgi.gateway.Header;
import io.github.jettyuwsgi.gateway.ResponseBody;
import io.github.jettyuwsgi.gateway.ResponseRules;
import io.github.jettyuwsgi.gateway.StartResponse;

/**
 * <p>Runs an unchanged uWSGI JWSGI application as a {@link GatewayApplication}, and so as a servlet
 * ({@code GatewayServlet} with the {@code jwsgi} init-param) or behind any gateway server. The JWSGI contract is
 * uWSGI's ({@code plugins/jwsgi/jwsgi_plugin.c}): {@code public static Object[] application(java.util.HashMap env)}
 * (or an instance method of that shape on a class with a no-arg constructor), env holding every CGI variable as a
 * String plus {@code jwsgi.input}, returning {@code {Integer|Long status, Map headers, body}}.</p>
 * <p>What uWSGI accepts is accepted here, in uWSGI's order, and nothing more: a 3-digit numeric status (a String
 * status is an error); header values that are a String, a String[] or an Iterable of Strings; a body that is a
 * String (UTF-8), String[], byte[], Iterable (of String, byte[], or anything by {@code toString()}), File or
 * InputStream. Env strings are the UTF-8 reading of the request bytes, as uWSGI's {@code NewStringUTF} makes them.
 * Differences on purpose: the InputStream or File body is closed when the server closes the body (uWSGI does the
 * same for InputStreams), an {@link AutoCloseable} Iterable is closed too (uWSGI never closes one), and hop-by-hop
 * headers are dropped rather than forwarded.</p>
 */
public final class JwsgiApplication implements GatewayApplication
{
    /** The request body, a {@link InputStream}, as uWSGI names it. */
    public static final String INPUT = "jwsgi.input";
    /** The method uWSGI calls when the spec names none. */
    public static final String DEFAULT_METHOD = "application";

    private final Method method;
    private final Object target;

    /**
     * @param type the JWSGI class
     * @param methodName the method, {@code Object[] name(HashMap)}, static or on a no-arg-constructed instance
     */
    public JwsgiApplication(Class<?> type, String methodName)
    {
        try
        {
            method = type.getMethod(methodName, HashMap.class);
        }
        catch (NoSuchMethodException x)
        {
            throw new GatewayException("JWSGI method: " + type.getName() + "." + methodName + "(java.util.HashMap) not found (expected: public Object[] " + methodName + "(java.util.HashMap env))", x);
        }
        if (method.getReturnType() != Object[].class)
            throw new GatewayException("JWSGI method return type: " + method.getReturnType().getName() + " (expected: Object[])");
        if (Modifier.isStatic(method.getModifiers()))
        {
            target = null;
        }
        else
        {
            try
            {
                target = type.getConstructor().newInstance();
            }
            catch (ReflectiveOperationException x)
            {
                throw new GatewayException("JWSGI class: " + type.getName() + " cannot be instantiated (expected: a static method, or a public no-arg constructor)", x);
            }
        }
    }

    /**
     * @param spec {@code com.example.Hello:application} or {@code com.example.Hello}, as uWSGI's {@code --jwsgi}
     * @param loader where to load the class from
     * @return the application
     */
    public static JwsgiApplication parse(String spec, ClassLoader loader)
    {
        String className = className(spec);
        try
        {
            return new JwsgiApplication(Class.forName(className, true, loader), methodName(spec));
        }
        catch (ClassNotFoundException x)
        {
            throw new GatewayException("JWSGI class: " + className + " not found (expected: Class[:method] on the class path)", x);
        }
    }

    /**
     * @param spec {@code Class[:method]}
     * @return the class name
     */
    public static String className(String spec)
    {
        int colon = spec.indexOf(':');
        return colon < 0 ? spec : spec.substring(0, colon);
    }

    /**
     * @param spec {@code Class[:method]}
     * @return the method name, {@value #DEFAULT_METHOD} when the spec names none
     */
    public static String methodName(String spec)
    {
        int colon = spec.indexOf(':');
        return colon < 0 || colon == spec.length() - 1 ? DEFAULT_METHOD : spec.substring(colon + 1);
    }

    @Override
    public ResponseBody call(Environ environ, StartResponse startResponse) throws Exception
    {
        Object result;
        try
        {
            result = method.invoke(target, env(environ));
        }
        catch (InvocationTargetException x)
        {
            if (x.getCause() instanceof Exception cause)
                throw cause;
            throw x;
        }
        if (!(result instanceof Object[] triple) || triple.length != 3)
            throw new GatewayException("JWSGI response: " + describe(result) + " (expected: Object[3] {status, headers, body})");
        startResponse.start(status(triple[0]), headers(triple[1]));
        return body(triple[2]);
    }

    private static HashMap<String, Object> env(Environ environ)
    {
        HashMap<String, Object> env = new HashMap<>();
        for (Map.Entry<String, Object> entry : environ.asMap().entrySet())
        {
            if (entry.getKey().indexOf('.') < 0 && entry.getValue() instanceof String value)
                env.put(entry.getKey(), new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
        // nginx's uwsgi_params send it; a JWSGI application has no other way to learn the scheme.
        env.putIfAbsent("REQUEST_SCHEME", environ.urlScheme());
        env.put(INPUT, new InputView(environ.input()));
        return env;
    }

    private static String status(Object status)
    {
        if (!(status instanceof Integer) && !(status instanceof Long))
            throw new GatewayException("JWSGI status: " + describe(status) + " (expected: an Integer or Long, as uWSGI requires)");
        long code = ((Number)status).longValue();
        if (code < 100 || code > 999)
            throw new GatewayException("JWSGI status: " + code + " (expected: three digits)");
        return code + " " + ResponseRules.reasonPhrase((int)code);
    }

    private static List<Header> headers(Object headers)
    {
        if (!(headers instanceof Map<?, ?> map))
            throw new GatewayException("JWSGI headers: " + describe(headers) + " (expected: a Map)");
        List<Header> list = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet())
        {
            if (!(entry.getKey() instanceof String name))
                throw new GatewayException("JWSGI header name: " + describe(entry.getKey()) + " (expected: a String)");
            if (ResponseRules.isHopByHop(name))
                continue;
            Object value = entry.getValue();
            if (value instanceof String text)
            {
                list.add(new Header(name, text));
            }
            else if (value instanceof String[] texts)
            {
                for (String text : texts)
                {
                    list.add(new Header(name, text));
                }
            }
            else if (value instanceof Iterable<?> texts)
            {
                for (Object text : texts)
                {
                    if (!(text instanceof String))
                        throw new GatewayException("JWSGI header " + name + " value item: " + describe(text) + " (expected: a String)");
                    list.add(new Header(name, (String)text));
                }
            }
            else
            {
                throw new GatewayException("JWSGI header " + name + " value: " + describe(value) + " (expected: String, String[] or Iterable of String)");
            }
        }
        return list;
    }

    private static ResponseBody body(Object body) throws IOException
    {
        if (body instanceof String text)
            return ResponseBody.of(text.getBytes(StandardCharsets.UTF_8));
        if (body instanceof String[] texts)
        {
            List<byte[]> chunks = new ArrayList<>();
            for (String text : texts)
            {
                chunks.add(text.getBytes(StandardCharsets.UTF_8));
            }
            return ResponseBody.of(chunks);
        }
        if (body instanceof byte[] bytes)
            return ResponseBody.of(bytes);
        if (body instanceof Iterable<?> items)
            return ResponseBody.of(() -> new ItemChunks(items.iterator()), () ->
            {
                if (items instanceof AutoCloseable closeable)
                    closeIterable(closeable);
            });
        if (body instanceof File file)
            return FileWrapper.BLOCKS.wrap(new FileInputStream(file));
        if (body instanceof InputStream stream)
            return FileWrapper.BLOCKS.wrap(stream);
        throw new GatewayException("JWSGI body: " + describe(body) + " (expected: String, String[], byte[], Iterable, File or InputStream)");
    }

    private static void closeIterable(AutoCloseable closeable) throws IOException
    {
        try
        {
            closeable.close();
        }
        catch (IOException | RuntimeException x)
        {
            throw x;
        }
        catch (Exception x)
        {
            throw new IOException("JWSGI body close() failed", x);
        }
    }

    private static String describe(Object value)
    {
        return value == null ? "null" : value.getClass().getName();
    }

    /**
     * <p>An Iterable body's items as chunks: a String as UTF-8, a byte[] as is, anything else by toString().</p>
     */
    private static final class ItemChunks implements Iterator<byte[]>
    {
        private final Iterator<?> items;

        private ItemChunks(Iterator<?> items)
        {
            this.items = items;
        }

        @Override
        public boolean hasNext()
        {
            return items.hasNext();
        }

        @Override
        public byte[] next()
        {
            Object item = items.next();
            if (item instanceof byte[] bytes)
                return bytes;
            return String.valueOf(item).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * <p>{@code jwsgi.input}: the gateway input seen as the InputStream JWSGI applications read.</p>
     */
    private static final class InputView extends InputStream
    {
        private final GatewayInput input;

        private InputView(GatewayInput input)
        {
            this.input = input;
        }

        @Override
        public int read()
        {
            byte[] one = new byte[1];
            return input.read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
        {
            return input.read(buffer, offset, length);
        }
    }
}
