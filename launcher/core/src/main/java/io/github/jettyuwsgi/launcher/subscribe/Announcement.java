package io.github.jettyuwsgi.launcher.subscribe;

import java.nio.ByteBuffer;

import io.github.jettyuwsgi.launcher.options.SubscriptionSpec;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiGenerator;

/**
 * What one subscription datagram says to a uWSGI router: "route {@code key} to {@code address}" (or, to unsubscribe,
 * "stop routing it there"). The last step before the wire: {@link SubscriptionClient} fills it in from a
 * {@link SubscriptionSpec} and the bound sockets, {@link #encode(boolean)} writes the packet uWSGI 2.0.21's
 * {@code uwsgi_subscription_ub} writes, with the connector's {@link UwsgiGenerator}:
 *
 * <pre>
 * [224][datasize u16le][0 subscribe | 1 unsubscribe]
 * key, address, modifier1, modifier2, cores, load, weight   numbers as ASCII decimal
 * [sni_key] [sni_crt] [sni_ca]                              only when given
 * </pre>
 *
 * @param key the virtual host, e.g. {@code example.com}
 * @param address where the router connects: {@code HOST:PORT}, {@code :PORT} (the router's own machine) or a Unix
 * socket path
 * @param modifier1 put by the router on the packets it forwards to {@code address}
 * @param modifier2 put by the router on the packets it forwards to {@code address}
 * @param cores how many requests this instance serves at once (uWSGI: processes × threads; here: threads)
 * @param load requests being served now
 * @param weight the weight for weighted round robin; the router reads 0 as 1
 * @param sniKey SNI key file for the router's HTTPS side, or null
 * @param sniCrt SNI certificate file, or null
 * @param sniCa SNI CA file, or null
 */
public record Announcement(String key, String address, int modifier1, int modifier2, long cores, long load, long weight, String sniKey, String sniCrt, String sniCa)
{
    /** The modifier1 of a subscription packet. */
    public static final int MODIFIER1_SUBSCRIPTION = 224;
    /** The modifier2 of a subscription. */
    public static final int MODIFIER2_SUBSCRIBE = 0;
    /** The modifier2 of an unsubscription. */
    public static final int MODIFIER2_UNSUBSCRIBE = 1;

    /**
     * @param unsubscribe true for an unsubscription (modifier2 1), false for a subscription (0)
     * @return the datagram, ready to read
     * @throws IllegalArgumentException if a value has a character above 0xFF (the parser lets none through)
     */
    public ByteBuffer encode(boolean unsubscribe)
    {
        UwsgiVars vars = new UwsgiVars(10)
            .add("key", key)
            .add("address", address)
            .add("modifier1", Integer.toString(modifier1))
            .add("modifier2", Integer.toString(modifier2))
            .add("cores", Long.toString(cores))
            .add("load", Long.toString(load))
            .add("weight", Long.toString(weight));
        if (sniKey != null)
            vars.add("sni_key", sniKey);
        if (sniCrt != null)
            vars.add("sni_crt", sniCrt);
        if (sniCa != null)
            vars.add("sni_ca", sniCa);
        return UwsgiGenerator.generateRequest(MODIFIER1_SUBSCRIPTION, unsubscribe ? MODIFIER2_UNSUBSCRIBE : MODIFIER2_SUBSCRIBE, vars);
    }

    @Override
    public String toString()
    {
        return key + " => " + address;
    }
}
