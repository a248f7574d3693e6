package io.github.jettyuwsgi.gateway;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * <p>Lint middleware: placed between any server and any application, it checks both against the contract, the way
 * Python's {@code wsgiref.validate} does, and fails with a {@link Violation} at the first broken rule. Every check of
 * {@code wsgiref.validate} is here under its id ({@code [#13]}; the table is in {@code docs/gateway.md}), with the same
 * trigger conditions; soft problems (#6, #12, #26, #52) go to a warning sink instead. The {@link Profile#STRICT}
 * profile adds the PEP 3333 rules {@code wsgiref.validate} misses ({@code [S1]}...): hop-by-hop headers, a second
 * start_response, characters above U+00FF, Content-Length against the bytes actually sent, and so on.</p>
 * <p>Checks that Python makes at run time and Java's types already make at compile time (argument counts, keyword
 * arguments, tuple shapes, {@code input.close()}) have no code here; their Java analogue is a {@code null}, which is
 * checked instead.</p>
 */
public final class GatewayValidator implements GatewayMiddleware
{
    private static final System.Logger LOG = System.getLogger(GatewayValidator.class.getName());
    private static final Cleaner CLEANER = Cleaner.create();
    private static final List<String> WSGIREF_REQUIRED = List.of(EnvironKeys.REQUEST_METHOD, EnvironKeys.SERVER_NAME,
        EnvironKeys.SERVER_PORT, EnvironKeys.VERSION, EnvironKeys.INPUT, EnvironKeys.ERRORS, EnvironKeys.MULTITHREAD,
        EnvironKeys.MULTIPROCESS, EnvironKeys.RUN_ONCE);
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "OPTIONS", "PATCH", "PUT", "DELETE", "TRACE");
    private static final Pattern HEADER_NAME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9\\-_]*$");

    private final Profile profile;
    private final Consumer<String> warnings;

    /**
     * @param profile which checks to make
     * @param warnings receives each warning, "[#N] what: actual (expected: ...)"
     */
    public GatewayValidator(Profile profile, Consumer<String> warnings)
    {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /**
     * @return a strict validator that logs warnings
     */
    public static GatewayValidator strict()
    {
        return new GatewayValidator(Profile.STRICT, warning -> LOG.log(Level.WARNING, warning));
    }

    private boolean strictly()
    {
        return profile == Profile.STRICT;
    }

    @Override
    public GatewayApplication wrap(GatewayApplication next)
    {
        Objects.requireNonNull(next, "next");
        return (environ, startResponse) ->
        {
            checkEnviron(environ);
            Map<String, Object> map = environ.asMap();
            // Like wsgiref.validate, the streams are wrapped in place, in the caller's environ.
            map.put(EnvironKeys.INPUT, new CheckedInput((GatewayInput)map.get(EnvironKeys.INPUT)));
            map.put(EnvironKeys.ERRORS, new CheckedErrors((GatewayErrors)map.get(EnvironKeys.ERRORS)));
            Call call = new Call(environ.get(EnvironKeys.REQUEST_METHOD), warnings);
            ResponseBody result = next.call(environ, new CheckedStartResponse(startResponse, call));
            check(result != null, "#18", "application result: null (expected: a ResponseBody, if only an empty one)");
            call.returned = true;
            return new CheckedBody(result, call);
        };
    }

    static void check(boolean ok, String id, String message)
    {
        if (!ok)
            throw new Violation(id, message);
    }

    private void warn(String id, String message)
    {
        warnings.accept("[" + id + "] " + message);
    }

    private void checkEnviron(Environ environ)
    {
        check(environ != null, "#3", "environ: null (expected: an Environ over a HashMap)");
        Map<String, Object> map = environ.asMap();
        check(map.getClass() == HashMap.class, "#3", "environ map type: " + map.getClass().getName() + " (expected: exactly java.util.HashMap)");
        for (String key : WSGIREF_REQUIRED)
        {
            check(map.containsKey(key), "#4", "environ: missing required key " + key + " (expected: present)");
        }
        check(!map.containsKey("HTTP_CONTENT_TYPE"), "#5", "environ: has HTTP_CONTENT_TYPE (expected: CONTENT_TYPE instead)");
        check(!map.containsKey("HTTP_CONTENT_LENGTH"), "#5", "environ: has HTTP_CONTENT_LENGTH (expected: CONTENT_LENGTH instead)");
        if (!map.containsKey(EnvironKeys.QUERY_STRING))
            warn("#6", "environ: QUERY_STRING absent (expected: present, if only \"\", since some applications need it)");
        for (Map.Entry<String, Object> entry : map.entrySet())
        {
            if (entry.getKey().indexOf('.') >= 0)
                continue;
            Object value = entry.getValue();
            check(value instanceof String, "#7", "environ " + entry.getKey() + ": " + (value == null ? "null" : value.getClass().getName()) + " (expected: String)");
            if (strictly())
                check(Latin1.isLatin1((String)value), "S4", "environ " + entry.getKey() + ": " + ResponseRules.quote((String)value) + " has chars above U+00FF (expected: latin-1 bytes-as-chars)");
        }
        check(map.get(EnvironKeys.VERSION) instanceof Environ.Version, "#8", "environ " + EnvironKeys.VERSION + ": " + typeOf(map.get(EnvironKeys.VERSION)) + " (expected: Environ.Version)");
        Object scheme = map.get(EnvironKeys.URL_SCHEME);
        check("http".equals(scheme) || "https".equals(scheme), "#9", "environ " + EnvironKeys.URL_SCHEME + ": " + scheme + " (expected: http or https)");
        check(map.get(EnvironKeys.INPUT) instanceof GatewayInput, "#10", "environ " + EnvironKeys.INPUT + ": " + typeOf(map.get(EnvironKeys.INPUT)) + " (expected: GatewayInput)");
        check(map.get(EnvironKeys.ERRORS) instanceof GatewayErrors, "#11", "environ " + EnvironKeys.ERRORS + ": " + typeOf(map.get(EnvironKeys.ERRORS)) + " (expected: GatewayErrors)");
        String method = (String)map.get(EnvironKeys.REQUEST_METHOD);
        if (!KNOWN_METHODS.contains(method))
            warn("#12", "environ REQUEST_METHOD: " + method + " (expected: one of " + KNOWN_METHODS + ", unless the application knows it)");
        String scriptName = (String)map.get(EnvironKeys.SCRIPT_NAME);
        check(scriptName != null, "#13", "environ SCRIPT_NAME: absent (expected: \"\" or a path starting with /)");
        check(scriptName.isEmpty() || scriptName.startsWith("/"), "#13", "environ SCRIPT_NAME: " + ResponseRules.quote(scriptName) + " (expected: \"\" or a path starting with /)");
        String pathInfo = (String)map.get(EnvironKeys.PATH_INFO);
        check(pathInfo != null, "#14", "environ PATH_INFO: absent (expected: \"\" or a path starting with /)");
        check(pathInfo.isEmpty() || pathInfo.startsWith("/"), "#14", "environ PATH_INFO: " + ResponseRules.quote(pathInfo) + " (expected: \"\" or a path starting with /)");
        String contentLength = (String)map.get(EnvironKeys.CONTENT_LENGTH);
        if (contentLength != null && !contentLength.isEmpty())
        {
            long length;
            try
            {
                length = Long.parseLong(contentLength);
            }
            catch (NumberFormatException x)
            {
                throw new Violation("#15", "environ CONTENT_LENGTH: " + ResponseRules.quote(contentLength) + " (expected: a decimal integer >= 0)");
            }
            check(length >= 0, "#15", "environ CONTENT_LENGTH: " + length + " (expected: >= 0)");
        }
        if (scriptName.isEmpty())
            check(map.containsKey(EnvironKeys.PATH_INFO), "#16", "environ: SCRIPT_NAME and PATH_INFO both absent (expected: one of them, PATH_INFO \"/\" at the root)");
        check(!"/".equals(scriptName), "#17", "environ SCRIPT_NAME: \"/\" (expected: \"\", with PATH_INFO \"/\")");
        if (strictly())
            checkEnvironStrictly(map);
    }

    private static void checkEnvironStrictly(Map<String, Object> map)
    {
        check(Environ.VERSION_1_0.equals(map.get(EnvironKeys.VERSION)), "S10", "environ " + EnvironKeys.VERSION + ": " + map.get(EnvironKeys.VERSION) + " (expected: " + Environ.VERSION_1_0 + ")");
        for (String flag : List.of(EnvironKeys.MULTITHREAD, EnvironKeys.MULTIPROCESS, EnvironKeys.RUN_ONCE))
        {
            check(map.get(flag) instanceof Boolean, "S10", "environ " + flag + ": " + typeOf(map.get(flag)) + " (expected: Boolean)");
        }
        if (map.containsKey(EnvironKeys.INPUT_TERMINATED))
            check(map.get(EnvironKeys.INPUT_TERMINATED) instanceof Boolean, "S10", "environ " + EnvironKeys.INPUT_TERMINATED + ": " + typeOf(map.get(EnvironKeys.INPUT_TERMINATED)) + " (expected: Boolean)");
        if (map.containsKey(EnvironKeys.FILE_WRAPPER))
            check(map.get(EnvironKeys.FILE_WRAPPER) instanceof FileWrapper, "S11", "environ " + EnvironKeys.FILE_WRAPPER + ": " + typeOf(map.get(EnvironKeys.FILE_WRAPPER)) + " (expected: FileWrapper)");
        for (String key : List.of(EnvironKeys.REQUEST_METHOD, EnvironKeys.SERVER_NAME, EnvironKeys.SERVER_PORT))
        {
            check(!((String)map.get(key)).isEmpty(), "S14", "environ " + key + ": \"\" (expected: never empty)");
        }
    }

    private static String typeOf(Object value)
    {
        return value == null ? "absent" : value.getClass().getName();
    }

    /**
     * <p>What one call has seen so far, shared by the wrappers of that call.</p>
     */
    private static final class Call
    {
        private final String method;
        private final Consumer<String> warnings;
        private boolean started;
        private int statusCode;
        private boolean headersSent;
        private boolean returned;
        private long declaredLength = -1;
        private long bytes;

        private Call(String method, Consumer<String> warnings)
        {
            this.method = method;
            this.warnings = warnings;
        }

        private void passed(byte[] chunk, String id)
        {
            bytes += chunk.length;
            if (chunk.length > 0)
                headersSent = true;
            check(declaredLength < 0 || bytes <= declaredLength, id, "response body: " + bytes + " bytes so far (expected: at most Content-Length " + declaredLength + ")");
        }
    }

    private final class CheckedStartResponse implements StartResponse
    {
        private final StartResponse server;
        private final Call call;

        private CheckedStartResponse(StartResponse server, Call call)
        {
            this.server = server;
            this.call = call;
        }

        @Override
        public Write start(String status, List<Header> headers, Throwable excInfo)
        {
            if (strictly())
                check(!call.started || excInfo != null, "S1", "start_response: called again without excInfo (expected: excInfo on every call after the first)");
            boolean reRaiseExpected = excInfo != null && call.headersSent;
            call.started = true;
            int code = checkStatus(status);
            checkHeaders(headers, code);
            Write write = server.start(status, headers, excInfo);
            if (strictly())
                check(!reRaiseExpected, "S2", "start_response with excInfo after the headers were sent: returned (expected: the server re-raises excInfo)");
            call.statusCode = code;
            call.declaredLength = -1;
            for (Header header : headers)
            {
                if (header.is("Content-Length") && header.value().chars().allMatch(c -> c >= '0' && c <= '9') && !header.value().isEmpty())
                    call.declaredLength = Long.parseLong(header.value());
            }
            check(write != null, "S15", "start_response result: null (expected: a write callable)");
            return chunk ->
            {
                check(chunk != null, "#38", "write(): null (expected: a byte[])");
                if (strictly())
                {
                    check(!call.returned, "S7", "write(): called after the application returned (expected: only during call())");
                    call.passed(chunk, "S8");
                }
                else
                {
                    call.headersSent |= chunk.length > 0;
                }
                write.write(chunk);
            };
        }

        private int checkStatus(String status)
        {
            check(status != null, "#22", "status: null (expected: a String \"NNN Reason\")");
            String code = status.split("\\s", 2)[0];
            check(code.length() == 3, "#23", "status code: " + ResponseRules.quote(code) + " (expected: three characters)");
            int value;
            try
            {
                value = Integer.parseInt(code);
            }
            catch (NumberFormatException x)
            {
                throw new Violation("#24", "status code: " + ResponseRules.quote(code) + " (expected: a number)");
            }
            check(value >= 100, "#25", "status code: " + value + " (expected: >= 100)");
            if (status.length() < 4 || status.charAt(3) != ' ')
                warn("#26", "status: " + ResponseRules.quote(status) + " (expected: \"NNN Reason\", a space and a reason phrase after the code)");
            if (strictly())
            {
                String reason = status.length() > 4 ? status.substring(4) : "";
                check(status.length() > 4 && status.charAt(3) == ' ' && !reason.isBlank() && reason.strip().equals(reason) && !reason.contains("  ") && !hasControl(reason, true),
                    "S5", "status: " + ResponseRules.quote(status) + " (expected: \"NNN Reason\": one space, a reason phrase, no surrounding whitespace or control characters)");
                check(Latin1.isLatin1(status), "S4", "status: " + ResponseRules.quote(status) + " has chars above U+00FF (expected: latin-1)");
            }
            return value;
        }

        private void checkHeaders(List<Header> headers, int code)
        {
            check(headers != null, "#27", "response headers: null (expected: a List)");
            boolean contentType = false;
            for (Header header : headers)
            {
                check(header != null, "#28", "response header: null (expected: a Header)");
                check(header.name() != null, "#30", "response header name: null (expected: a String)");
                check(header.value() != null, "#30", "response header " + header.name() + " value: null (expected: a String)");
                String name = header.name();
                check(!name.equalsIgnoreCase("status"), "#31", "response header: " + name + " (expected: not Status; the status is start_response's first argument)");
                check(name.indexOf('\n') < 0 && name.indexOf(':') < 0, "#32", "response header name: " + ResponseRules.quote(name) + " (expected: no colon or newline)");
                check(HEADER_NAME.matcher(name).matches(), "#33", "response header name: " + ResponseRules.quote(name) + " (expected: a letter, then letters, digits, - or _)");
                check(!name.endsWith("-") && !name.endsWith("_"), "#34", "response header name: " + name + " (expected: not ending in - or _)");
                check(!hasControl(header.value(), false), "#35", "response header " + name + " value: " + ResponseRules.quote(header.value()) + " (expected: no character in \\x00-\\x1f)");
                if (strictly())
                {
                    check(!ResponseRules.isHopByHop(name), "S3", "response header: " + name + " is hop-by-hop (expected: none of " + ResponseRules.HOP_BY_HOP + ")");
                    check(Latin1.isLatin1(header.value()), "S4", "response header " + name + " value: has chars above U+00FF (expected: latin-1)");
                    check(header.value().indexOf(0x7F) < 0, "S6", "response header " + name + " value: " + ResponseRules.quote(header.value()) + " (expected: no DEL)");
                }
                contentType |= name.equalsIgnoreCase("Content-Type");
            }
            if (code == 204 || code == 304)
                check(!contentType, "#36", "response headers: Content-Type in a " + code + " response (expected: none, there is no content)");
            else
                check(contentType, "#36", "response headers: no Content-Type (expected: one, for every status but 204 and 304)");
        }
    }

    private static boolean hasControl(String text, boolean includeDel)
    {
        for (int i = 0; i < text.length(); i++)
        {
            char c = text.charAt(i);
            if (c < 0x20 || includeDel && c == 0x7F)
                return true;
        }
        return false;
    }

    /**
     * <p>The body wrapper: checks what the application yields and what the server does with it.</p>
     */
    private final class CheckedBody implements ResponseBody
    {
        private final ResponseBody body;
        private final Call call;
        private final CloseState state;
        private final Cleaner.Cleanable cleanable;
        private int yielded;
        private boolean first = true;

        private CheckedBody(ResponseBody body, Call call)
        {
            this.body = body;
            this.call = call;
            this.state = new CloseState(warnings);
            this.cleanable = CLEANER.register(this, state);
        }

        @Override
        public int chunkCount()
        {
            return body.chunkCount();
        }

        @Override
        public Iterator<byte[]> iterator()
        {
            Iterator<byte[]> chunks = body.iterator();
            check(chunks != null, "#18", "response body iterator: null (expected: an Iterator)");
            return new Iterator<>()
            {
                @Override
                public boolean hasNext()
                {
                    check(!state.closed, "#48", "response body: read after close() (expected: no read after close)");
                    boolean more = chunks.hasNext();
                    if (!more && strictly())
                        atEnd();
                    return more;
                }

                @Override
                public byte[] next()
                {
                    check(!state.closed, "#48", "response body: read after close() (expected: no read after close)");
                    byte[] chunk = chunks.next();
                    check(chunk != null, "#49", "response body chunk: null (expected: a byte[], possibly empty)");
                    if (first)
                    {
                        check(call.started, "#50", "response body: iterated before start_response was called (expected: start_response before or during the first chunk)");
                        first = false;
                    }
                    yielded++;
                    int count = body.chunkCount();
                    if (strictly())
                        check(count < 0 || yielded <= count, "S9", "response body: chunk " + yielded + " (expected: at most chunkCount() " + count + ")");
                    if (strictly())
                        call.passed(chunk, "S8");
                    else
                        call.headersSent |= chunk.length > 0;
                    return chunk;
                }
            };
        }

        private void atEnd()
        {
            check(call.started, "S12", "response body: ended without start_response ever called (expected: one call)");
            int count = body.chunkCount();
            check(count < 0 || count == yielded, "S9", "response body chunkCount(): " + count + " (expected: the " + yielded + " chunks it yielded)");
            boolean mayBeShort = "HEAD".equals(call.method) || ResponseRules.forbidsBody(call.statusCode);
            check(mayBeShort || call.declaredLength < 0 || call.bytes == call.declaredLength, "S8",
                "response body: " + call.bytes + " bytes (expected: Content-Length " + call.declaredLength + ")");
        }

        @Override
        public void close() throws IOException
        {
            if (strictly())
                check(!state.closed, "S13", "response body: close() called twice (expected: exactly once)");
            state.closed = true;
            cleanable.clean();
            body.close();
        }
    }

    /**
     * <p>#52: reports a body that becomes unreachable without having been closed. Holds no reference to the body.</p>
     */
    private static final class CloseState implements Runnable
    {
        private final Consumer<String> warnings;
        private volatile boolean closed;

        private CloseState(Consumer<String> warnings)
        {
            this.warnings = warnings;
        }

        @Override
        public void run()
        {
            if (!closed)
                warnings.accept("[#52] response body: garbage collected without being closed (expected: close() called by the server)");
        }
    }

    private static final class CheckedInput implements GatewayInput
    {
        private final GatewayInput input;

        private CheckedInput(GatewayInput input)
        {
            this.input = input;
        }

        @Override
        public byte[] read(int size)
        {
            byte[] bytes = input.read(size);
            check(bytes != null, "#39", "input.read(size): null (expected: a byte[])");
            return bytes;
        }

        @Override
        public byte[] read()
        {
            throw new Violation("#39", "input.read(): no size (expected: read(size); wsgiref.validate requires exactly one argument, read(-1) reads all)");
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
        {
            int count = input.read(buffer, offset, length);
            check(count >= -1 && count <= length && (count != 0 || length == 0), "#39", "input.read(buffer): " + count + " (expected: -1 or 1 to " + length + ")");
            return count;
        }

        @Override
        public byte[] readline(int size)
        {
            byte[] line = input.readline(size);
            check(line != null, "#40", "input.readline(): null (expected: a byte[])");
            return line;
        }

        @Override
        public byte[] readline()
        {
            return readline(-1);
        }

        @Override
        public List<byte[]> readlines(int hint)
        {
            List<byte[]> lines = input.readlines(hint);
            check(lines != null, "#41", "input.readlines(): null (expected: a List)");
            for (byte[] line : lines)
            {
                check(line != null, "#41", "input.readlines(): a null line (expected: byte[] lines)");
            }
            return lines;
        }

        // #42: iteration is GatewayInput's default, which reads through readline(), so the same checks apply.
    }

    private static final class CheckedErrors implements GatewayErrors
    {
        private final GatewayErrors errors;

        private CheckedErrors(GatewayErrors errors)
        {
            this.errors = errors;
        }

        @Override
        public void write(String text)
        {
            check(text != null, "#45", "errors.write(): null (expected: a String)");
            errors.write(text);
        }

        @Override
        public void writelines(Iterable<String> texts)
        {
            check(texts != null, "#46", "errors.writelines(): null (expected: Strings)");
            for (String text : texts)
            {
                write(text);
            }
        }

        @Override
        public void flush()
        {
            errors.flush();
        }
    }

    /**
     * <p>Which checks a validator makes.</p>
     */
    public enum Profile
    {
        /** Exactly the checks of Python's {@code wsgiref.validate}, with its trigger conditions. */
        WSGIREF,
        /** Those plus the PEP 3333 rules {@code wsgiref.validate} does not check (ids {@code S1}...). */
        STRICT
    }

    /**
     * <p>A broken rule found by the validator: {@link #check()} is its id ({@code "#13"}, {@code "S3"}), the message
     * reads "[id] what: actual (expected: ...)".</p>
     */
    public static final class Violation extends GatewayException
    {
        private final String check;

        public Violation(String check, String message)
        {
            super("[" + check + "] " + message);
            this.check = check;
        }

        /**
         * @return the id of the check that failed
         */
        public String check()
        {
            return check;
        }
    }
}
