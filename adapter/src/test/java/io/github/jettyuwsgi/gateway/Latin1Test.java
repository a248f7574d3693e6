package io.github.jettyuwsgi.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Latin1Test
{
    @Test
    void percentEscapesBecomeOneCharPerByte()
    {
        assertEquals("/caf\u00c3\u00a9", Latin1.decodePath("/caf%C3%A9"));
        assertEquals("/\u00ff", Latin1.decodePath("/%FF"));
        assertEquals("/a/b", Latin1.decodePath("/a%2Fb"));
        assertEquals("/100%", Latin1.decodePath("/100%"));
        assertEquals("/%zz", Latin1.decodePath("/%zz"));
    }

    @Test
    void rawNonAsciiIsTakenAsUtf8Bytes()
    {
        assertEquals("/\u00e2\u0082\u00ac", Latin1.decodePath("/\u20ac"));
        assertEquals("\u00e2\u0082\u00ac", Latin1.fromText("\u20ac"));
        assertEquals("caf\u00e9", Latin1.fromText("caf\u00e9"));
    }

    @Test
    void encodeIsTheInverseOfDecode()
    {
        String raw = "/a%20b/%C3%A9/%FF;x=1,y";
        assertEquals(raw, Latin1.encodePath(Latin1.decodePath(raw)));
        assertTrue(Latin1.isLatin1("\u00ff"));
        assertFalse(Latin1.isLatin1("\u0100"));
    }
}
