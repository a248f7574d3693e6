package io.github.jettyuwsgi.launcher.options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.github.jettyuwsgi.uwsgi.codec.Uwsgi;

/**
 * One {@code subscribe-to} or {@code subscribe2} value, parsed and checked by {@link SubscriptionParser}: the first
 * step of the subscription client, before {@code SubscriptionClient} turns it into {@code Announcement}s once the
 * sockets are bound. Knows nothing of Jetty, so that {@link LauncherOptions#validate()} can report its problems.
 *
 * @param source where it was given, as {@link LauncherOptions.Subscription#source()}, for messages
 * @param routerHost the subscription server's host (an IPv4 address or a name, resolved when sending)
 * @param routerPort the subscription server's UDP port
 * @param key the virtual host routed to this instance, or null when {@code keysFile} lists them
 * @param keysFile {@code ROUTER:PORT:@FILE}: a file of {@code KEY[,MODIFIER1]} lines, read again at every announce
 * @param address the address the router connects to ({@code addr=}), or null for one of the launcher's uwsgi sockets
 * @param socketIndex which uwsgi socket ({@code socket=N}, from 0) when {@code address} is null; 0 when not given
 * @param modifier1 the modifier1 the router puts on the packets it forwards here
 * @param modifier2 the modifier2 the router puts on the packets it forwards here
 * @param weight the weight for the router's weighted round robin (0: uWSGI's default, the router reads it as 1)
 * @param check {@code check=FILE}: while this file exists, nothing is sent for this subscription; or null
 * @param sniKey {@code sni_key=}, passed on to the router as is, or null
 * @param sniCrt {@code sni_crt=}, passed on to the router as is, or null
 * @param sniCa {@code sni_ca=}, passed on to the router as is, or null
 */
public record SubscriptionSpec(String source, String routerHost, int routerPort, String key, Path keysFile, String address, int socketIndex,
    int modifier1, int modifier2, int weight, Path check, String sniKey, String sniCrt, String sniCa)
{
    /**
     * uWSGI's routers refuse a key or an address longer than this ({@code core/subscription.c}).
     */
    public static final int MAX_NAME_LENGTH = 0xFF;

    /**
     * @return {@code host:port} of the subscription server
     */
    public String router()
    {
        return routerHost + ":" + routerPort;
    }

    /**
     * @return whether the router is told to connect to one of the launcher's own uwsgi sockets
     */
    public boolean announcesOwnSocket()
    {
        return address == null;
    }

    /**
     * Checks every subscription of a configuration against the sockets it has: what {@link LauncherOptions#validate()}
     * reports, one line per problem.
     *
     * @param subscriptions the values as given
     * @param uwsgiSockets how many uwsgi sockets (not http-sockets) the configuration has
     * @return the problems, each "where: what: actual (expected: ...)"; empty when all can be sent
     */
    public static List<String> problems(List<LauncherOptions.Subscription> subscriptions, int uwsgiSockets)
    {
        List<String> problems = new ArrayList<>();
        for (LauncherOptions.Subscription subscription : subscriptions)
        {
            try
            {
                SubscriptionSpec spec = SubscriptionParser.parse(subscription);
                spec.checkSockets(uwsgiSockets).ifPresent(problems::add);
                spec.keys();
            }
            catch (IllegalArgumentException x)
            {
                problems.add(x.getMessage());
            }
            catch (IOException x)
            {
                problems.add(subscription.source() + ": cannot read the keys file: " + x + " (expected: a readable file, one KEY[,MODIFIER1] per line)");
            }
        }
        return problems;
    }

    /**
     * @return the keys to announce with their modifier1: the one key, or the lines of the keys file as they are now
     * (uWSGI reads that file again at every announce, so keys can be added without a restart)
     * @throws IOException if the keys file cannot be read
     * @throws IllegalArgumentException if a line of the keys file is not a usable key
     */
    public List<SubscriptionParser.KeyLine> keys() throws IOException
    {
        if (keysFile == null)
            return List.of(new SubscriptionParser.KeyLine(key, modifier1));
        List<SubscriptionParser.KeyLine> keys = new ArrayList<>();
        List<String> lines = Files.readAllLines(keysFile, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < lines.size(); i++)
        {
            SubscriptionParser.KeyLine line = SubscriptionParser.parseKeyLine(source + ": " + keysFile + ":" + (i + 1), lines.get(i), announcesOwnSocket());
            if (line != null)
                keys.add(line);
        }
        return keys;
    }

    private Optional<String> checkSockets(int uwsgiSockets)
    {
        if (!announcesOwnSocket())
            return Optional.empty();
        if (uwsgiSockets == 0)
            return Optional.of(source + ": no uwsgi socket to announce to " + router() +
                " (expected: a --socket for the router to connect to, or addr=HOST:PORT naming the backend)");
        if (socketIndex >= uwsgiSockets)
            return Optional.of(source + ": socket " + socketIndex + " (expected: 0 to " + (uwsgiSockets - 1) + ", the index of one of the " +
                uwsgiSockets + " uwsgi socket(s))");
        return Optional.empty();
    }

    /**
     * @throws IllegalArgumentException if the modifier1 is one the connector would not serve while the router is told
     * to send its requests here
     */
    static void checkServedModifier1(String source, String what, int modifier1, boolean ownSocket)
    {
        if (ownSocket && !Uwsgi.isHttpRequest(modifier1))
            throw new IllegalArgumentException(source + ": " + what + " " + modifier1 + " (expected: " + Uwsgi.MODIFIER1_WSGI + ", " + Uwsgi.MODIFIER1_PSGI + ", " +
                Uwsgi.MODIFIER1_RACK + " or " + Uwsgi.MODIFIER1_JVM + ": the router puts it on every request it forwards here, and the connector serves only those)");
    }
}
