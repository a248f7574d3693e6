package io.github.jettyuwsgi.uwsgi.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.github.jettyuwsgi.uwsgi.codec.UwsgiGenerator;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The {@code curl} and {@code ping} commands of the launcher jar: an operator's way to check a uwsgi backend with no
 * frontend in front, in the spirit of uWSGI's {@code uwsgi_curl}. It parses the command line and drives
 * {@link UwsgiClient}; the launcher hands it every command line whose first word is one of {@link #COMMANDS}.
 *
 * <p>Exit status 0 when the backend answered (whatever the HTTP status, as curl does), {@value #EXIT_FAILURE} when it
 * could not be reached, timed out or answered nothing, {@value #EXIT_USAGE} for a command-line mistake; each failure is
 * one line on standard error, never a stack trace.</p>
 */
public final class UwsgiCurl
{
    /** The first words this class handles. */
    public static final List<String> COMMANDS = List.of("curl", "ping");
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private static final String USAGE = """
        usage: java -jar jetty-uwsgi-launcher.jar curl (--unix PATH | HOST:PORT) /URI [-X METHOD] [-H 'Name: value']...
                      [-d DATA | -d @FILE | --data-binary DATA | --data-binary @FILE] [-i] [--modifier1 N] [--timeout SECONDS]
               java -jar jetty-uwsgi-launcher.jar ping (--unix PATH | HOST:PORT) [--timeout SECONDS]

        curl sends one request as nginx would (its standard uwsgi_params) and prints the response body, or with -i the
        whole raw response as the backend sent it. ping sends a uwsgi ping (modifier1 100) and prints PONG and the round
        trip. Exit status: 0 answered, 1 unreachable, timed out or no answer, 2 usage error.
        """;

    private final PrintStream out;
    private final PrintStream err;
    private final String command;

    private UwsgiCurl(String command, PrintStream out, PrintStream err)
    {
        this.command = command;
        this.out = out;
        this.err = err;
    }

    /**
     * @param args the command line, its first word {@code curl} or {@code ping}
     * @return whether the command line is one for this class
     */
    public static boolean handles(String[] args)
    {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    /**
     * @param args the whole command line, starting with {@code curl} or {@code ping}
     * @param out receives the response (raw bytes) or the PONG line
     * @param err receives one line per problem
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err)
    {
        if (!handles(args))
            throw new IllegalArgumentException("command: " + (args.length == 0 ? "none" : args[0]) + " (expected: one of " + COMMANDS + ")");
        UwsgiCurl curl = new UwsgiCurl(args[0], out, err);
        try
        {
            Options options = Options.parse(args);
            if (options.help)
            {
                out.print(USAGE);
                return 0;
            }
            return args[0].equals("ping") ? curl.ping(options) : curl.curl(options);
        }
        catch (UsageException x)
        {
            err.println(curl.command + ": " + x.getMessage());
            err.println(curl.command + ": see '" + curl.command + " --help'");
            return EXIT_USAGE;
        }
    }

    private int ping(Options options) throws UsageException
    {
        if (options.uri != null || options.method != null || !options.headers.isEmpty() || options.data != null || options.include || options.modifier1 != 0)
            throw new UsageException("ping takes only the backend address and --timeout");
        UwsgiClient client = options.client();
        try
        {
            Duration roundTrip = client.ping();
            out.printf(Locale.ROOT, "PONG from %s in %.3f ms%n", options.target, roundTrip.toNanos() / 1_000_000.0);
            out.flush();
            return 0;
        }
        catch (IOException x)
        {
            err.println("ping: " + options.target + ": " + describe(x));
            return EXIT_FAILURE;
        }
    }

    private int curl(Options options) throws UsageException
    {
        if (options.uri == null)
            throw new UsageException("no request URI given (expected: a path starting with /, e.g. /index.html?x=1)");
        byte[] inlineBody = null;
        Path bodyFile = null;
        long bodyLength = -1;
        if (options.data != null)
        {
            if (options.data.startsWith("@"))
            {
                bodyFile = Path.of(options.data.substring(1));
                try
                {
                    if (options.binary)
                        bodyLength = Files.size(bodyFile);
                    else
                        inlineBody = stripNewlines(Files.readAllBytes(bodyFile));
                }
                catch (IOException x)
                {
                    throw new UsageException("cannot read the body file " + bodyFile + ": " + describe(x));
                }
            }
            else
            {
                inlineBody = options.data.getBytes(StandardCharsets.UTF_8);
            }
            if (inlineBody != null)
                bodyLength = inlineBody.length;
        }

        String method = options.method != null ? options.method : bodyLength >= 0 ? "POST" : "GET";
        HttpFields headers = headers(options.headers, bodyLength);
        UwsgiClient client = options.client();
        OutputStream response = options.include ? out : new BodyOnly(out);
        try (InputStream body = inlineBody != null ? new ByteArrayInputStream(inlineBody) : bodyFile != null ? Files.newInputStream(bodyFile) : null)
        {
            long received = client.request(method, percentEncode(options.uri), headers, options.modifier1, body, response);
            if (received == 0)
            {
                err.println("curl: " + options.target + ": the backend closed the connection without an answer");
                return EXIT_FAILURE;
            }
            return 0;
        }
        catch (IOException x)
        {
            out.flush();
            err.println("curl: " + options.target + ": " + describe(x));
            return EXIT_FAILURE;
        }
        catch (IllegalArgumentException x)
        {
            // the generator refuses what no frontend would send (e.g. vars over 64 KiB): the user's input, not a bug
            throw new UsageException(x.getMessage());
        }
    }

    /**
     * Headers in curl's order: Host, User-Agent, Accept, the user's, then Content-Length and Content-Type for a body. A
     * user header replaces a default of the same name, and {@code -H 'Name:'} removes it, as in curl.
     */
    private static HttpFields headers(List<HttpField> userHeaders, long bodyLength)
    {
        HttpFields.Mutable headers = HttpFields.build();
        headers.add(HttpHeader.HOST, "localhost");
        headers.add(HttpHeader.USER_AGENT, "jetty-uwsgi-curl");
        headers.add(HttpHeader.ACCEPT, "*/*");
        for (HttpField header : userHeaders)
        {
            if (header.getValue().isEmpty())
                headers.remove(header.getName());
            else if (headers.contains(header.getName()) && isDefault(header.getName()))
                headers.put(header.getName(), header.getValue());
            else
                headers.add(header);
        }
        if (bodyLength >= 0)
        {
            headers.put(HttpHeader.CONTENT_LENGTH, Long.toString(bodyLength));
            if (!headers.contains(HttpHeader.CONTENT_TYPE))
                headers.add(HttpHeader.CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        return headers;
    }

    /**
     * Percent-encodes the UTF-8 bytes of spaces, controls and non-ASCII characters, as a browser does before it sends a
     * URI; a frontend would pass such raw bytes on and Jetty would answer 400.
     */
    static String percentEncode(String uri)
    {
        StringBuilder encoded = new StringBuilder(uri.length());
        for (byte b : uri.getBytes(StandardCharsets.UTF_8))
        {
            int c = b & 0xFF;
            if (c <= 0x20 || c >= 0x7F)
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            else
                encoded.append((char)c);
        }
        return encoded.toString();
    }

    private static boolean isDefault(String name)
    {
        return name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("User-Agent") || name.equalsIgnoreCase("Accept");
    }

    /** curl's {@code -d @FILE} drops carriage returns and newlines; {@code --data-binary} keeps every byte. */
    private static byte[] stripNewlines(byte[] bytes)
    {
        int length = 0;
        byte[] kept = new byte[bytes.length];
        for (byte b : bytes)
        {
            if (b != '\r' && b != '\n')
                kept[length++] = b;
        }
        return Arrays.copyOf(kept, length);
    }

    private static String describe(Throwable failure)
    {
        String message = failure.getMessage();
        if (message == null || message.isBlank())
            return failure.getClass().getSimpleName();
        if (failure instanceof NoSuchFileException)
            return "no such file";
        return message;
    }

    /** Passes everything after the end of the response header ({@code CRLF CRLF}) through, as curl prints a body. */
    private static final class BodyOnly extends OutputStream
    {
        private final OutputStream out;
        private int matched;
        private boolean inBody;

        private BodyOnly(OutputStream out)
        {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException
        {
            write(new byte[]{(byte)b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException
        {
            int end = offset + length;
            int i = offset;
            while (!inBody && i < end)
            {
                byte b = bytes[i++];
                // the states of "\r\n\r\n": 0 nothing, 1 '\r', 2 "\r\n", 3 "\r\n\r"
                if (b == '\r')
                    matched = matched == 2 ? 3 : 1;
                else if (b == '\n' && (matched == 1 || matched == 3))
                    matched++;
                else
                    matched = 0;
                inBody = matched == 4;
            }
            if (i < end)
                out.write(bytes, i, end - i);
        }

        @Override
        public void flush() throws IOException
        {
            out.flush();
        }
    }

    private static final class UsageException extends Exception
    {
        private UsageException(String message)
        {
            super(message);
        }
    }

    private static final class Options
    {
        private String target;
        private String unixPath;
        private String hostPort;
        private String uri;
        private String method;
        private final List<HttpField> headers = new ArrayList<>();
        private String data;
        private boolean binary;
        private boolean include;
        private int modifier1;
        private Duration timeout = UwsgiClient.DEFAULT_TIMEOUT;
        private boolean help;

        private static Options parse(String[] args) throws UsageException
        {
            Options options = new Options();
            for (int i = 1; i < args.length; i++)
            {
                String arg = args[i];
                switch (arg)
                {
                    case "-h", "--help" -> options.help = true;
                    case "--unix" -> options.unixPath = value(args, ++i, arg);
                    case "-X", "--request" -> options.method = value(args, ++i, arg);
                    case "-H", "--header" -> options.headers.add(header(value(args, ++i, arg)));
                    case "-d", "--data" -> options.setData(value(args, ++i, arg), false);
                    case "--data-binary" -> options.setData(value(args, ++i, arg), true);
                    case "-i", "--include" -> options.include = true;
                    case "--modifier1" -> options.modifier1 = number(value(args, ++i, arg), arg, 0, 255);
                    case "--timeout" -> options.timeout = Duration.ofSeconds(number(value(args, ++i, arg), arg, 1, 86400));
                    default ->
                    {
                        if (arg.startsWith("/"))
                        {
                            if (options.uri != null)
                                throw new UsageException("two request URIs: " + options.uri + " and " + arg + " (expected: one)");
                            options.uri = arg;
                        }
                        else if (arg.startsWith("-"))
                        {
                            throw new UsageException("unknown option: " + arg);
                        }
                        else
                        {
                            if (options.hostPort != null)
                                throw new UsageException("two backends: " + options.hostPort + " and " + arg + " (expected: one HOST:PORT)");
                            options.hostPort = arg;
                        }
                    }
                }
            }
            if (options.help)
                return options;
            if (options.unixPath != null && options.hostPort != null)
                throw new UsageException("both --unix " + options.unixPath + " and " + options.hostPort + " (expected: one backend)");
            if (options.unixPath == null && options.hostPort == null)
                throw new UsageException("no backend given (expected: --unix PATH or HOST:PORT, e.g. 127.0.0.1:3031)");
            options.target = options.unixPath != null ? options.unixPath : options.hostPort;
            if (options.method != null && !options.method.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+"))
                throw new UsageException("method: '" + options.method + "' (expected: an HTTP token such as GET or POST)");
            return options;
        }

        private void setData(String value, boolean binary) throws UsageException
        {
            if (data != null)
                throw new UsageException("two bodies given (expected: one -d or --data-binary)");
            data = value;
            this.binary = binary;
        }

        private UwsgiClient client() throws UsageException
        {
            UwsgiClient client;
            if (unixPath != null)
            {
                client = UwsgiClient.unix(Path.of(unixPath));
            }
            else
            {
                int colon = hostPort.lastIndexOf(':');
                if (colon <= 0 || colon == hostPort.length() - 1)
                    throw new UsageException("backend: '" + hostPort + "' (expected: HOST:PORT, e.g. 127.0.0.1:3031, or --unix PATH)");
                String host = hostPort.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]"))
                    host = host.substring(1, host.length() - 1);
                int port = number(hostPort.substring(colon + 1), "port", 1, 65535);
                client = UwsgiClient.tcp(host, port);
                if (((InetSocketAddress)client.getAddress()).isUnresolved())
                    throw new UsageException("backend: cannot resolve host '" + host + "'");
            }
            client.setTimeout(timeout);
            return client;
        }

        private static String value(String[] args, int index, String option) throws UsageException
        {
            if (index >= args.length)
                throw new UsageException(option + ": no value (expected: a value after it)");
            return args[index];
        }

        private static HttpField header(String line) throws UsageException
        {
            int colon = line.indexOf(':');
            if (colon <= 0)
                throw new UsageException("header: '" + line + "' (expected: 'Name: value')");
            String name = line.substring(0, colon).trim();
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+"))
                throw new UsageException("header name: '" + name + "' (expected: an HTTP token such as X-Request-Id)");
            // vars are bytes: a header value goes as its UTF-8 bytes, as curl sends what the terminal gave it
            return new HttpField(name, UwsgiGenerator.utf8AsBytes(line.substring(colon + 1).trim()));
        }

        private static int number(String value, String what, int min, int max) throws UsageException
        {
            try
            {
                int number = Integer.parseInt(value);
                if (number >= min && number <= max)
                    return number;
            }
            catch (NumberFormatException ignored)
            {
                // reported below with the expected range
            }
            throw new UsageException(what + ": '" + value + "' (expected: a number from " + min + " to " + max + ")");
        }
    }
}
