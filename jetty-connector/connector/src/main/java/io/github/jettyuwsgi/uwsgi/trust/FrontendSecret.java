package io.github.jettyuwsgi.uwsgi.trust;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;

/**
 * The var every packet must carry ({@code --frontend-secret NAME=VALUE}; nginx {@code uwsgi_param NAME VALUE;}), as
 * Tomcat's AJP connector requires its {@code secret}: checked in constant time, then removed from the vars, so neither
 * the application, nor the gateway environ, nor the request log ever sees it.
 *
 * <p>The var must occur exactly once. A second copy means the packet mixes the frontend's var with one from somewhere
 * else (a client header, when NAME was chosen as {@code HTTP_*}, which is refused for that reason), and is refused
 * even when one copy is right.</p>
 */
public final class FrontendSecret
{
    /** What {@link #check} found. */
    public enum Verdict
    {
        /** exactly one copy, with the right value */
        ACCEPTED,
        /** no copy */
        MISSING,
        /** one copy, with another value */
        WRONG,
        /** more than one copy */
        REPEATED
    }

    private final String name;
    private final byte[] value;

    private FrontendSecret(String name, byte[] value)
    {
        this.name = name;
        this.value = value;
    }

    /**
     * @param nameAndValue {@code NAME=VALUE}, as given to {@code --frontend-secret}
     * @return the secret
     * @throws IllegalArgumentException when the name or the value is empty, or the name is an {@code HTTP_*} var
     */
    public static FrontendSecret parse(String nameAndValue)
    {
        int equals = nameAndValue.indexOf('=');
        if (equals < 0)
            throw new IllegalArgumentException("frontend-secret: no '=' (expected: NAME=VALUE, e.g. UWSGI_FRONTEND_SECRET=<32 random hex digits>)");
        return of(nameAndValue.substring(0, equals), nameAndValue.substring(equals + 1));
    }

    /**
     * @param name the var's name, e.g. {@code UWSGI_FRONTEND_SECRET}
     * @param value its value; compared with the var's bytes as UTF-8, the bytes nginx sends from its configuration
     * @return the secret
     * @throws IllegalArgumentException when the name or the value is empty, or the name is an {@code HTTP_*} var
     */
    public static FrontendSecret of(String name, String value)
    {
        if (name == null || name.isEmpty() || !name.chars().allMatch(c -> c > ' ' && c < 0x7F && c != '='))
            throw new IllegalArgumentException("frontend-secret: name '" + name + "' (expected: a var name of printable ASCII, e.g. UWSGI_FRONTEND_SECRET)");
        if (name.toUpperCase(Locale.ROOT).startsWith("HTTP_"))
            throw new IllegalArgumentException("frontend-secret: name '" + name + "' (expected: a name not starting with HTTP_, the prefix of the client's own headers)");
        if (value == null || value.isEmpty())
            throw new IllegalArgumentException("frontend-secret: empty value for " + name + " (expected: a random value, e.g. from 'openssl rand -hex 32')");
        return new FrontendSecret(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return the var's name (its value is never shown)
     */
    public String name()
    {
        return name;
    }

    /**
     * Checks the packet's copy of the var and removes every copy, whatever the verdict.
     *
     * @param vars a packet's vars, changed in place
     * @return the verdict: only {@link Verdict#ACCEPTED} may go on to the application
     */
    public Verdict check(UwsgiVars vars)
    {
        int copies = 0;
        boolean equal = false;
        for (int i = 0; i < vars.size(); i++)
        {
            if (vars.name(i).equals(name))
            {
                copies++;
                // Vars are read as ISO-8859-1, one char per byte: this gives the bytes back as they came.
                equal = MessageDigest.isEqual(vars.value(i).getBytes(StandardCharsets.ISO_8859_1), value);
            }
        }
        if (copies > 0)
            vars.removeAll(name);
        if (copies == 0)
            return Verdict.MISSING;
        if (copies > 1)
            return Verdict.REPEATED;
        return equal ? Verdict.ACCEPTED : Verdict.WRONG;
    }

    @Override
    public String toString()
    {
        return "FrontendSecret{" + name + "=****}";
    }
}
