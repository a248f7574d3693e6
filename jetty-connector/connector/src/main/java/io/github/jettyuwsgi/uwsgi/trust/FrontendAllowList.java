package io.github.jettyuwsgi.uwsgi.trust;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.eclipse.jetty.util.InetAddressSet;

/**
 * The addresses a uwsgi frontend may connect from ({@code --allow-frontend}): IPv4 and IPv6 CIDR blocks
 * ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) and plain addresses ({@code 192.0.2.7}, {@code ::1}), matched by
 * Jetty's {@link InetAddressSet}. Only literals are taken, so neither parsing nor matching ever asks DNS.
 *
 * <p>An IPv4 client of a dual-stack socket arrives as an IPv4 address (Java unwraps {@code ::ffff:a.b.c.d}), so
 * IPv4 blocks match it whatever the socket's family.</p>
 */
public final class FrontendAllowList
{
    private final InetAddressSet addresses = new InetAddressSet();
    private final List<String> blocks;

    private FrontendAllowList(List<String> blocks)
    {
        this.blocks = Collections.unmodifiableList(blocks);
    }

    /**
     * @param blocks CIDR blocks or plain addresses, as given
     * @return the allow list
     * @throws IllegalArgumentException naming the first block that is not one: "what: actual (expected: ...)"
     */
    public static FrontendAllowList of(List<String> blocks)
    {
        FrontendAllowList list = new FrontendAllowList(new ArrayList<>(blocks));
        for (String block : blocks)
        {
            list.addresses.add(canonical(block));
        }
        return list;
    }

    /**
     * Checks one block and gives it in the form Jetty's {@link InetAddressSet} takes: literal address, optional
     * {@code /bits} within the family's width, no host bits set.
     */
    private static String canonical(String block)
    {
        String text = block.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (address.startsWith("[") && address.endsWith("]"))
            address = address.substring(1, address.length() - 1);
        boolean ipv6 = address.indexOf(':') >= 0;
        boolean ipv4 = isIpv4(address);
        if (!ipv4 && !(ipv6 && address.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)))
            throw new IllegalArgumentException("allow-frontend: '" + block + "' (expected: an IPv4 or IPv6 address or CIDR block, e.g. 10.0.0.0/8, 192.0.2.7, 2001:db8::/32)");
        InetAddress parsed;
        try
        {
            // a literal: no lookup happens
            parsed = InetAddress.getByName(address);
        }
        catch (UnknownHostException x)
        {
            throw new IllegalArgumentException("allow-frontend: '" + block + "' has a malformed address (expected: an IPv4 or IPv6 literal)");
        }
        int width = parsed.getAddress().length * 8;
        if (slash < 0)
            return parsed.getHostAddress();
        String bitsText = text.substring(slash + 1);
        int bits = bitsText.isEmpty() || bitsText.length() > 3 || !bitsText.chars().allMatch(Character::isDigit) ? -1 : Integer.parseInt(bitsText);
        if (bits < 0 || bits > width)
            throw new IllegalArgumentException("allow-frontend: '" + block + "' has prefix length '" + bitsText + "' (expected: 0 to " + width + ")");
        byte[] raw = parsed.getAddress();
        for (int bit = bits; bit < width; bit++)
        {
            if ((raw[bit / 8] & (0x80 >> (bit % 8))) != 0)
                throw new IllegalArgumentException("allow-frontend: '" + block + "' has host bits set after /" + bits + " (expected: the block's first address, e.g. " + network(raw, bits) + "/" + bits + ")");
        }
        return parsed.getHostAddress() + "/" + bits;
    }

    /**
     * Four decimal parts of at most 255: anything else given to {@link InetAddress#getByName} would be looked up.
     */
    private static boolean isIpv4(String address)
    {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4)
            return false;
        for (String part : parts)
        {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255)
                return false;
        }
        return true;
    }

    private static String network(byte[] raw, int bits)
    {
        byte[] masked = raw.clone();
        for (int bit = bits; bit < masked.length * 8; bit++)
        {
            masked[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        try
        {
            return InetAddress.getByAddress(masked).getHostAddress();
        }
        catch (UnknownHostException x)
        {
            throw new IllegalStateException(x);
        }
    }

    /**
     * @param address a connection's peer address
     * @return whether it is in one of the blocks
     */
    public boolean allows(InetAddress address)
    {
        return addresses.test(address);
    }

    /**
     * @return the blocks as given
     */
    public List<String> blocks()
    {
        return blocks;
    }

    @Override
    public String toString()
    {
        return String.join(", ", blocks);
    }
}
