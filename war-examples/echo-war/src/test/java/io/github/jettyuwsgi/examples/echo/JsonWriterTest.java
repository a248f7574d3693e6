package io.github.jettyuwsgi.examples.echo;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

public class JsonWriterTest
{
    @Test
    public void testNestedValuesAndCommas()
    {
        String json = new JsonWriter()
            .beginObject()
            .name("s").value("text")
            .name("n").value(-42L)
            .name("b").value(true)
            .name("z").nullValue()
            .name("empty").beginArray().endArray()
            .name("list").beginArray().value(1L).beginArray().value("a").value("b").endArray().beginObject().endObject().endArray()
            .name("last").value(false)
            .endObject()
            .toString();

        assertEquals("{\"s\":\"text\",\"n\":-42,\"b\":true,\"z\":null,\"empty\":[],\"list\":[1,[\"a\",\"b\"],{}],\"last\":false}", json);
    }

    @Test
    public void testEscapesQuotesBackslashesAndEveryControlCharacter()
    {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++)
        {
            controls.append(c);
        }
        String tricky = "quote\" backslash\\ slash/ del\u007f e\u0301 \u00e9 \u20ac \ud83d\ude00" + controls;

        String json = new JsonWriter().beginArray().value(tricky).endArray().toString();

        // Control characters are always written as six-character \\u00XX escapes, never raw or as \\n.
        assertEquals("[\"quote\\\" backslash\\\\ slash/ del\u007f e\u0301 \u00e9 \u20ac \ud83d\ude00" +
            "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008\\u0009\\u000a\\u000b\\u000c\\u000d\\u000e\\u000f" +
            "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"]", json);
        assertEquals(List.of(tricky), JsonParser.parse(json));
    }

    @Test
    public void testNullStringAndNamesAreEscapedToo()
    {
        String json = new JsonWriter().beginObject().name("a\"b\n").value((String)null).endObject().toString();

        assertEquals("{\"a\\\"b\\u000a\":null}", json);
        Map<String, Object> parsed = JsonParser.parseObject(json);
        assertEquals(List.of("a\"b\n"), List.copyOf(parsed.keySet()));
        assertNull(parsed.get("a\"b\n"));
    }

    @Test
    public void testLongExtremes()
    {
        String json = new JsonWriter().beginArray().value(Long.MIN_VALUE).value(0L).value(Long.MAX_VALUE).endArray().toString();

        assertEquals(Arrays.asList(Long.MIN_VALUE, 0L, Long.MAX_VALUE), JsonParser.parse(json));
    }
}
