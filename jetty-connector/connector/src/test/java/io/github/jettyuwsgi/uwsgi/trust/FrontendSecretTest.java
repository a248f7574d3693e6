package io.github.jettyuwsgi.uwsgi.trust;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The secret var: accepted only as exactly one copy with the right bytes, and removed from the vars whatever the
 * verdict, so nothing after the check can see it.
 */
public class FrontendSecretTest
{
    private static final FrontendSecret SECRET = FrontendSecret.parse("UWSGI_FRONTEND_SECRET=s3cr3t-v4lue");

    private static UwsgiVars vars(String... extra)
    {
        UwsgiVars vars = UwsgiVars.of("REQUEST_METHOD", "GET", "REQUEST_URI", "/x");
        for (int i = 0; i < extra.length; i += 2)
            vars.add(extra[i], extra[i + 1]);
        return vars.add("HTTP_HOST", "example.org");
    }

    @Test
    public void testPresentIsAcceptedAndRemoved()
    {
        UwsgiVars vars = vars("UWSGI_FRONTEND_SECRET", "s3cr3t-v4lue");
        assertEquals(FrontendSecret.Verdict.ACCEPTED, SECRET.check(vars));
        assertEquals("UwsgiVars{REQUEST_METHOD=GET, REQUEST_URI=/x, HTTP_HOST=example.org}", vars.toString());
    }

    @Test
    public void testAbsentIsMissing()
    {
        UwsgiVars vars = vars();
        assertEquals(FrontendSecret.Verdict.MISSING, SECRET.check(vars));
        assertEquals(3, vars.size());
    }

    @Test
    public void testWrongValuesAreWrongAndRemoved()
    {
        for (String wrong : new String[]{"", "s3cr3t-v4lu", "s3cr3t-v4lue ", "S3CR3T-V4LUE", "s3cr3t-v4luf"})
        {
            UwsgiVars vars = vars("UWSGI_FRONTEND_SECRET", wrong);
            assertEquals(FrontendSecret.Verdict.WRONG, SECRET.check(vars), wrong);
            assertEquals(null, vars.get("UWSGI_FRONTEND_SECRET"), wrong);
        }
    }

    @Test
    public void testTwoCopiesAreRefusedEvenWhenOneIsRight()
    {
        for (String other : new String[]{"s3cr3t-v4lue", "forged"})
        {
            UwsgiVars first = vars("UWSGI_FRONTEND_SECRET", "s3cr3t-v4lue", "UWSGI_FRONTEND_SECRET", other);
            assertEquals(FrontendSecret.Verdict.REPEATED, SECRET.check(first));
            assertEquals(List.of(), first.getAll("UWSGI_FRONTEND_SECRET"));
            UwsgiVars second = vars("UWSGI_FRONTEND_SECRET", other, "UWSGI_FRONTEND_SECRET", "s3cr3t-v4lue");
            assertEquals(FrontendSecret.Verdict.REPEATED, SECRET.check(second));
        }
    }

    @Test
    public void testOtherNamesDoNotCount()
    {
        // names are case-sensitive, as CGI names are, and a client header arrives as HTTP_*
        UwsgiVars vars = vars("uwsgi_frontend_secret", "s3cr3t-v4lue", "HTTP_UWSGI_FRONTEND_SECRET", "s3cr3t-v4lue");
        assertEquals(FrontendSecret.Verdict.MISSING, SECRET.check(vars));
    }

    @Test
    public void testValueIsComparedAsTheUtf8BytesNginxSends()
    {
        FrontendSecret secret = FrontendSecret.of("SECRET", "clé");
        // the parser reads each byte as one ISO-8859-1 char
        String onTheWire = new String("clé".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertEquals(FrontendSecret.Verdict.ACCEPTED, secret.check(UwsgiVars.of("SECRET", onTheWire)));
        assertEquals(FrontendSecret.Verdict.WRONG, secret.check(UwsgiVars.of("SECRET", "clé")));
    }

    @Test
    public void testMalformedSettingsAreRefusedWithTheirReason()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FrontendSecret.parse("NOVALUE")).getMessage().contains("expected: NAME=VALUE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FrontendSecret.parse("NAME=")).getMessage().contains("empty value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FrontendSecret.parse("=value")).getMessage().contains("name ''"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FrontendSecret.parse("HTTP_X_SECRET=value")).getMessage().contains("not starting with HTTP_"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FrontendSecret.parse("A B=value")).getMessage().contains("printable ASCII"));
    }

    @Test
    public void testJettyModulePropertiesForm() throws Exception
    {
        FrontendTrust none = FrontendTrust.of("", " ");
        assertEquals(null, none.getSecret());
        assertEquals(null, none.getAllowList());
        FrontendTrust both = FrontendTrust.of(" S=v ", "10.0.0.0/8, ::1,");
        assertEquals("S", both.getSecret().name());
        assertEquals(List.of("10.0.0.0/8", "::1"), both.getAllowList().blocks());
        assertTrue(both.admits(new java.net.InetSocketAddress(java.net.InetAddress.getByName("10.1.2.3"), 1)));
        assertFalse(both.admits(new java.net.InetSocketAddress(java.net.InetAddress.getByName("192.0.2.1"), 1)));
        assertEquals(1, both.getRefusedAddresses());
    }

    @Test
    public void testValueNeverShows()
    {
        assertFalse(SECRET.toString().contains("s3cr3t"), SECRET.toString());
        assertFalse(new FrontendTrust(SECRET, null).toString().contains("s3cr3t"));
    }
}
