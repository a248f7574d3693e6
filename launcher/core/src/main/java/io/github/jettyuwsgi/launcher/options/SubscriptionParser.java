package io.github.jettyuwsgi.launcher.options;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the two syntaxes of uWSGI 2.0's subscriptions ({@code core/subscription.c}, {@code uwsgi_subscribe} and
 * {@code uwsgi_subscribe2}) into {@link SubscriptionSpec}s:
 *
 * <pre>
 * subscribe-to = [ADDR=]ROUTER:PORT:KEY[,MODIFIER1]      also =N=ROUTER:PORT:KEY (the N-th uwsgi socket, from 0)
 * subscribe-to = [ADDR=]ROUTER:PORT:@FILE                 one KEY[,MODIFIER1] per line, # comments
 * subscribe2   = server=ROUTER:PORT,key=KEY[,addr=ADDR][,socket=N][,weight=N][,modifier1=N][,modifier2=N][,check=FILE][,sni_key=..][,sni_crt=..][,sni_ca=..]
 * </pre>
 *
 * <p>Where uWSGI silently sends nothing (no port, no key, an unknown subscribe2 item) or something the router cannot
 * use, this is a "what: actual (expected: ...)" error instead. Not supported, and said so: a Unix datagram router
 * ({@code /path:KEY}; the JDK has no Unix datagram sockets) and signed subscriptions ({@code sign}).</p>
 */
public final class SubscriptionParser
{
    private static final Set<String> SUBSCRIBE2_ITEMS = Set.of("server", "key", "addr", "socket", "weight", "modifier1", "modifier2", "check",
        "sni_key", "sni_crt", "sni_ca", "sign");
    private static final String SUBSCRIBE_TO_FORM = "[ADDR=]ROUTER:PORT:KEY[,MODIFIER1] or ROUTER:PORT:@FILE";
    private static final String SUBSCRIBE2_FORM = "server=ROUTER:PORT,key=KEY[,addr=..][,weight=..][,modifier1=..][,modifier2=..]";

    private SubscriptionParser()
    {
    }

    /**
     * @param subscription the value as given
     * @return the subscription it describes
     * @throws IllegalArgumentException with a message "where: what: actual (expected: ...)" if it cannot be sent
     */
    public static SubscriptionSpec parse(LauncherOptions.Subscription subscription)
    {
        if ("subscribe2".equals(subscription.key()))
            return parseKeyValues(subscription.source(), subscription.value());
        return parseColonForm(subscription.source(), subscription.value());
    }

    /**
     * One line of a keys file ({@code ROUTER:PORT:@FILE}), as uWSGI reads it: {@code KEY[,MODIFIER1]}.
     *
     * @param source where the line is, for messages
     * @return the key and its modifier1, or null for a blank or {@code #} line
     * @throws IllegalArgumentException if the key or the modifier1 is not usable
     */
    static KeyLine parseKeyLine(String source, String line, boolean ownSocket)
    {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#"))
            return null;
        int comma = text.indexOf(',');
        String key = comma < 0 ? text : text.substring(0, comma);
        int modifier1 = comma < 0 ? 0 : number(source, "modifier1", text.substring(comma + 1), 255);
        checkName(source, "key", key);
        SubscriptionSpec.checkServedModifier1(source, "modifier1", modifier1, ownSocket);
        return new KeyLine(key, modifier1);
    }

    /**
     * @param key a virtual host
     * @param modifier1 its modifier1
     */
    public record KeyLine(String key, int modifier1)
    {
    }

    private static SubscriptionSpec parseColonForm(String source, String value)
    {
        String rest = value;
        String address = null;
        int socketIndex = 0;
        // uWSGI: anything before the first '=' is the address to announce; "=N=" names the N-th socket instead
        int equal = value.indexOf('=');
        if (equal == 0)
        {
            int second = value.indexOf('=', 1);
            if (second < 0)
                throw new IllegalArgumentException(source + ": '" + value + "' has no second '=' after the socket number (expected: =N=ROUTER:PORT:KEY)");
            socketIndex = number(source, "socket", value.substring(1, second), 1000);
            rest = value.substring(second + 1);
        }
        else if (equal > 0)
        {
            address = value.substring(0, equal);
            checkName(source, "address", address);
            rest = value.substring(equal + 1);
        }

        if (rest.startsWith("/"))
            throw unixRouter(source, rest);
        int portColon = rest.indexOf(':');
        int keyColon = portColon < 0 ? -1 : rest.indexOf(':', portColon + 1);
        if (keyColon < 0)
            throw new IllegalArgumentException(source + ": '" + value + "' (expected: " + SUBSCRIBE_TO_FORM + ", e.g. 127.0.0.1:7000:example.com)");
        String host = routerHost(source, value, rest.substring(0, portColon));
        int port = port(source, rest.substring(portColon + 1, keyColon));
        String keyPart = rest.substring(keyColon + 1);

        if (keyPart.startsWith("@"))
        {
            Path keysFile = path(source, "keys file", keyPart.substring(1));
            if (!Files.isRegularFile(keysFile) || !Files.isReadable(keysFile))
                throw new IllegalArgumentException(source + ": keys file " + keysFile + " is not a readable file (expected: one KEY[,MODIFIER1] per line)");
            return new SubscriptionSpec(source, host, port, null, keysFile, address, socketIndex, 0, 0, 0, null, null, null, null);
        }
        String[] parts = keyPart.split(",", -1);
        if (parts.length > 2)
            throw new IllegalArgumentException(source + ": '" + value + "' has a signing key after the modifier1 (expected: " + SUBSCRIBE_TO_FORM +
                "; signed subscriptions are not supported)");
        checkName(source, "key", parts[0]);
        int modifier1 = parts.length > 1 ? number(source, "modifier1", parts[1], 255) : 0;
        SubscriptionSpec.checkServedModifier1(source, "modifier1", modifier1, address == null);
        return new SubscriptionSpec(source, host, port, parts[0], null, address, socketIndex, modifier1, 0, 0, null, null, null, null);
    }

    private static SubscriptionSpec parseKeyValues(String source, String value)
    {
        Map<String, String> items = new LinkedHashMap<>();
        for (String item : splitUnescaped(value))
        {
            int equal = item.indexOf('=');
            if (equal < 0)
                throw new IllegalArgumentException(source + ": item '" + item + "' has no '=' (expected: " + SUBSCRIBE2_FORM + ")");
            String name = item.substring(0, equal);
            if (!SUBSCRIBE2_ITEMS.contains(name))
                throw new IllegalArgumentException(source + ": unknown item '" + name + "' (expected one of: " + String.join(", ", new TreeSet<>(SUBSCRIBE2_ITEMS)) + ")");
            // as uWSGI's uwsgi_kvlist_parse: a later item of the same name wins
            items.put(name, item.substring(equal + 1));
        }
        if (items.containsKey("sign"))
            throw new IllegalArgumentException(source + ": sign=" + items.get("sign") + " (expected: no sign item; signed subscriptions are not supported)");
        String server = items.get("server");
        if (server == null || server.isEmpty())
            throw new IllegalArgumentException(source + ": no server item in '" + value + "' (expected: " + SUBSCRIBE2_FORM + ")");
        if (server.startsWith("/"))
            throw unixRouter(source, server);
        int colon = server.lastIndexOf(':');
        if (colon < 0)
            throw new IllegalArgumentException(source + ": server=" + server + " (expected: ROUTER:PORT, e.g. 127.0.0.1:7000)");
        String host = routerHost(source, server, server.substring(0, colon));
        int port = port(source, server.substring(colon + 1));
        String key = items.get("key");
        if (key == null)
            throw new IllegalArgumentException(source + ": no key item in '" + value + "' (expected: " + SUBSCRIBE2_FORM + ")");
        checkName(source, "key", key);

        String address = items.get("addr");
        int socketIndex = 0;
        if (items.containsKey("socket"))
        {
            // uWSGI: socket=N replaces addr when that socket exists
            socketIndex = number(source, "socket", items.get("socket"), 1000);
            address = null;
        }
        else if (address != null)
        {
            checkName(source, "addr", address);
        }
        int modifier1 = items.containsKey("modifier1") ? number(source, "modifier1", items.get("modifier1"), 255) : 0;
        int modifier2 = items.containsKey("modifier2") ? number(source, "modifier2", items.get("modifier2"), 255) : 0;
        SubscriptionSpec.checkServedModifier1(source, "modifier1", modifier1, address == null);
        int weight = items.containsKey("weight") ? number(source, "weight", items.get("weight"), 1_000_000) : 0;
        Path check = items.containsKey("check") ? path(source, "check", items.get("check")) : null;
        return new SubscriptionSpec(source, host, port, key, null, address, socketIndex, modifier1, modifier2, weight, check,
            items.get("sni_key"), items.get("sni_crt"), items.get("sni_ca"));
    }

    /**
     * uWSGI's list split: a backslash makes the next character literal, so {@code addr=a\,b} keeps its comma.
     */
    private static List<String> splitUnescaped(String value)
    {
        List<String> items = new ArrayList<>();
        StringBuilder item = new StringBuilder();
        boolean escaped = false;
        for (int i = 0; i < value.length(); i++)
        {
            char c = value.charAt(i);
            if (escaped)
            {
                item.append(c);
                escaped = false;
            }
            else if (c == '\\')
            {
                escaped = true;
            }
            else if (c == ',')
            {
                items.add(item.toString());
                item.setLength(0);
            }
            else
            {
                item.append(c);
            }
        }
        if (item.length() > 0)
            items.add(item.toString());
        return items;
    }

    private static IllegalArgumentException unixRouter(String source, String router)
    {
        return new IllegalArgumentException(source + ": router " + router + " is a Unix datagram socket (expected: ROUTER:PORT over UDP; " +
            "the JVM has no Unix datagram sockets, so give the router a UDP subscription server, e.g. 127.0.0.1:7000)");
    }

    private static String routerHost(String source, String value, String host)
    {
        if (host.isEmpty() || host.startsWith("["))
            throw new IllegalArgumentException(source + ": router host '" + host + "' in '" + value + "' (expected: an IPv4 address or a host name, " +
                "e.g. 127.0.0.1; uWSGI's subscription servers listen on IPv4)");
        return host;
    }

    private static int port(String source, String text)
    {
        int port = number(source, "router port", text, 65535);
        if (port == 0)
            throw new IllegalArgumentException(source + ": router port 0 (expected: 1 to 65535)");
        return port;
    }

    private static int number(String source, String what, String text, int max)
    {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(text) > max)
            throw new IllegalArgumentException(source + ": " + what + " '" + text + "' (expected: a number from 0 to " + max + ")");
        return Integer.parseInt(text);
    }

    private static Path path(String source, String what, String text)
    {
        try
        {
            if (!text.isEmpty())
                return Path.of(text);
        }
        catch (InvalidPathException x)
        {
            // reported below
        }
        throw new IllegalArgumentException(source + ": " + what + " '" + text + "' (expected: a file path)");
    }

    /**
     * A key or an address goes into the packet as one byte per character, and uWSGI's router drops a packet whose key
     * or address is empty or longer than {@value SubscriptionSpec#MAX_NAME_LENGTH}.
     */
    static void checkName(String source, String what, String name)
    {
        if (name.isEmpty() || name.length() > SubscriptionSpec.MAX_NAME_LENGTH)
            throw new IllegalArgumentException(source + ": " + what + " of " + name.length() + " characters (expected: 1 to " + SubscriptionSpec.MAX_NAME_LENGTH + ")");
        for (int i = 0; i < name.length(); i++)
        {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7F)
                throw new IllegalArgumentException(source + ": " + what + " '" + name + "' has character U+" + String.format("%04X", (int)c) +
                    " (expected: printable ASCII without spaces, e.g. example.com or example.com:8080)");
        }
    }
}
