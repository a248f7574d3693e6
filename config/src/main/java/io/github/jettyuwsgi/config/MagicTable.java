package io.github.jettyuwsgi.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * uWSGI's table of {@code %c} magic variables and the substitution over a config file's raw text, done before the
 * file is parsed (a port of {@code init_magic_table}, {@code config_magic_table_fill} and {@code magic_sub} in uWSGI
 * 2.0.21). All 256 entries start empty, so an unknown {@code %q} disappears; {@code %%} is {@code %} and {@code %(}
 * stays {@code %(} for the placeholder pass.
 *
 * <p>uWSGI works on bytes. So does this class: values are held as "byte strings" (each char one byte, ISO-8859-1)
 * and the text is decoded as UTF-8 only after substitution, which keeps {@code %} followed by a multi-byte character
 * and the signed-char {@code %j} hash exactly as uWSGI computes them.</p>
 */
final class MagicTable
{
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final HostFacts facts;
    private final String[] table = new String[256];
    /** the first file's name with its {@code :section}, which {@code %O} shows once that file has been read */
    private String firstFileFullName;
    private boolean firstRoundDone;

    MagicTable(HostFacts facts)
    {
        this.facts = facts;
        java.util.Arrays.fill(table, "");
        table['%'] = "%";
        table['('] = "%(";
        put('v', facts.workingDirectory().toString());
        put('h', facts.hostname());
        put('t', Long.toString(facts.startMicros() / 1_000_000L));
        put('T', Long.toString(facts.startMicros()));
        put('V', facts.version());
        put('k', Integer.toString(facts.cpus()));
        table['['] = "\033";
        put('u', Long.toString(facts.uid()));
        put('U', facts.user() == null ? Long.toString(facts.uid()) : facts.user());
        put('g', Long.toString(facts.gid()));
        put('G', facts.group() == null ? Long.toString(facts.gid()) : facts.group());
    }

    /**
     * @return the current value of {@code %c}, as text
     */
    String get(char c)
    {
        return fromBytes(table[c & 0xFF]);
    }

    /**
     * Fills the file-dependent variables for a config about to be read, like {@code config_magic_table_fill}.
     *
     * @param name the name as given, possibly with {@code :section}
     * @param setUpperCase false while an {@code include}/{@code inherit} template is loaded: those never set the
     * upper-case "first config" variables
     * @return whether this file became the "first config" of the upper-case variables
     */
    boolean fill(String name, boolean setUpperCase)
    {
        int colon = name.lastIndexOf(':');
        String file = colon >= 0 ? name.substring(0, colon) : name;
        // while the file is read its colon is cut off, so %o never shows the section
        put('o', file);
        if (colon != 0)
            fillFile(file);
        put('x', colon >= 0 ? name.substring(colon + 1) : "");

        if (setUpperCase && !firstRoundDone)
        {
            for (char c : "ODSPCENXIJ".toCharArray())
                table[c] = table[Character.toLowerCase(c)];
            firstFileFullName = name;
            firstRoundDone = true;
            return true;
        }
        return false;
    }

    /**
     * Called when the first config file has been read: uWSGI restores the {@code :} it had cut off, and {@code %O}
     * points at that same buffer, so from now on {@code %O} includes the section ({@code main.ini:uwsgi}).
     */
    void firstFileRead()
    {
        if (firstFileFullName != null)
        {
            put('O', firstFileFullName);
            firstFileFullName = null;
        }
    }

    private void fillFile(String file)
    {
        Path path = facts.workingDirectory().resolve(file);
        String fullName;
        if (Files.isSymbolicLink(path))
        {
            // uWSGI keeps a symlinked config's own name (cwd + "/" + name, not normalized) so that %n of a
            // skeleton-plus-symlinks setup is the link's name
            fullName = file.startsWith("/") ? file : facts.workingDirectory() + "/" + file;
        }
        else
        {
            try
            {
                fullName = path.toRealPath().toString();
            }
            catch (IOException x)
            {
                throw new ConfigException("cannot read config file: " + file + " (" + x.getMessage() + ")", x);
            }
        }
        put('p', fullName);
        put('b', facts.binaryPath());
        table['j'] = djb33xHex(table['p']);
        try
        {
            Object inode = Files.getAttribute(Path.of(fullName), "unix:ino", LinkOption.NOFOLLOW_LINKS);
            put('i', inode.toString());
        }
        catch (IOException | UnsupportedOperationException | IllegalArgumentException x)
        {
            // uWSGI leaves %i as it was when lstat fails
        }

        String p = table['p'];
        String s = p.substring(p.lastIndexOf('/') + 1);
        String d = p.substring(0, p.length() - s.length());
        table['s'] = s;
        table['d'] = d;
        String stripped = d.endsWith("/") ? d.substring(0, d.length() - 1) : d;
        int slash = stripped.lastIndexOf('/');
        table['c'] = slash >= 0 ? stripped.substring(slash + 1) : "";
        for (char n = '0'; n <= '9'; n++)
            table[n] = "";
        char n = '0';
        for (String component : stripped.split("/"))
        {
            if (component.isEmpty())
                continue;
            if (n > '9')
                break;
            table[n++] = component;
        }
        int dot = s.lastIndexOf('.');
        table['e'] = dot >= 0 ? s.substring(dot + 1) : "";
        table['n'] = dot >= 0 ? s.substring(0, dot) : s;
    }

    /**
     * Substitutes every {@code %c} of {@code raw} (a file's bytes) and decodes the result as UTF-8.
     */
    String substitute(byte[] raw)
    {
        // uWSGI reads the file with a terminating NUL and substitutes over it too, so a '%' at the very end of the
        // file is followed by NUL, whose entry is empty: the '%' disappears
        String text = new String(raw, StandardCharsets.ISO_8859_1) + '\0';
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            char c = text.charAt(i);
            if (c == '%' && i + 1 < text.length())
            {
                out.append(table[text.charAt(i + 1)]);
                i++;
            }
            else
            {
                out.append(c);
            }
        }
        if (out.length() > 0 && out.charAt(out.length() - 1) == '\0')
            out.setLength(out.length() - 1);
        return fromBytes(out.toString());
    }

    /**
     * {@code %j}: uWSGI's djb33x hash of {@code %p}, whose 4 bytes are printed in memory order (little-endian on
     * every platform Debian builds uWSGI for) as upper-case hex. The bytes are C {@code char}s, signed on x86, so a
     * byte of a non-ASCII path is sign-extended before the XOR.
     */
    static String djb33xHex(String byteString)
    {
        int hash = 5381;
        for (int i = 0; i < byteString.length(); i++)
            hash = (hash * 33) ^ (byte)byteString.charAt(i);
        StringBuilder hex = new StringBuilder(8);
        for (int i = 0; i < 4; i++)
        {
            int b = (hash >>> (8 * i)) & 0xFF;
            hex.append(HEX[b >>> 4]).append(HEX[b & 0xF]);
        }
        return hex.toString();
    }

    private void put(char c, String text)
    {
        table[c] = toBytes(text);
    }

    static String toBytes(String text)
    {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    static String fromBytes(String bytes)
    {
        return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
