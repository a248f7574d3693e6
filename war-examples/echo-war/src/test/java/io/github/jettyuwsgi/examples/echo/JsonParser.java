package io.github.jettyuwsgi.examples.echo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader for the tests: objects become insertion-ordered maps, arrays lists, integers longs. It
 * rejects anything that is not JSON, so every test that parses the echo output also checks that it is valid JSON;
 * it is written independently of {@link JsonWriter} so that the two cannot share a mistake.
 */
final class JsonParser
{
    private final String text;
    private int index;

    private JsonParser(String text)
    {
        this.text = text;
    }

    static Object parse(String text)
    {
        JsonParser parser = new JsonParser(text);
        parser.skipWhitespace();
        Object value = parser.value();
        parser.skipWhitespace();
        if (parser.index != text.length())
            throw parser.error("trailing characters");
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String text)
    {
        Object value = parse(text);
        if (!(value instanceof Map))
            throw new IllegalArgumentException("JSON value: " + value + " (expected: an object)");
        return (Map<String, Object>)value;
    }

    private Object value()
    {
        if (index >= text.length())
            throw error("end of input");
        char c = text.charAt(index);
        return switch (c)
        {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default ->
            {
                if (c == '-' || (c >= '0' && c <= '9'))
                    yield number();
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object()
    {
        Map<String, Object> members = new LinkedHashMap<>();
        expect('{');
        skipWhitespace();
        if (peek() == '}')
        {
            index++;
            return members;
        }
        while (true)
        {
            skipWhitespace();
            if (peek() != '"')
                throw error("expected a member name");
            String name = string();
            if (members.containsKey(name))
                throw error("duplicate member \"" + name + "\"");
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(name, value());
            skipWhitespace();
            if (peek() == ',')
            {
                index++;
                continue;
            }
            expect('}');
            return members;
        }
    }

    private List<Object> array()
    {
        List<Object> elements = new ArrayList<>();
        expect('[');
        skipWhitespace();
        if (peek() == ']')
        {
            index++;
            return elements;
        }
        while (true)
        {
            skipWhitespace();
            elements.add(value());
            skipWhitespace();
            if (peek() == ',')
            {
                index++;
                continue;
            }
            expect(']');
            return elements;
        }
    }

    private String string()
    {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true)
        {
            if (index >= text.length())
                throw error("unterminated string");
            char c = text.charAt(index++);
            if (c == '"')
                return value.toString();
            if (c < 0x20)
                throw error("unescaped control character U+" + Integer.toHexString(c));
            if (c != '\\')
            {
                value.append(c);
                continue;
            }
            char escape = text.charAt(index++);
            switch (escape)
            {
                case '"', '\\', '/' -> value.append(escape);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' ->
                {
                    value.append((char)Integer.parseInt(text.substring(index, index + 4), 16));
                    index += 4;
                }
                default -> throw error("bad escape '\\" + escape + "'");
            }
        }
    }

    private Long number()
    {
        // The echo output only has integers; a fraction or exponent would be a bug there, so it is rejected.
        int start = index;
        if (peek() == '-')
            index++;
        while (index < text.length() && Character.isDigit(text.charAt(index)))
        {
            index++;
        }
        String digits = text.substring(start, index);
        if (digits.isEmpty() || digits.equals("-") || digits.matches("-?0\\d+"))
            throw error("bad number \"" + digits + "\"");
        return Long.parseLong(digits);
    }

    private Object literal(String word, Object value)
    {
        if (!text.startsWith(word, index))
            throw error("expected " + word);
        index += word.length();
        return value;
    }

    private void expect(char c)
    {
        if (peek() != c)
            throw error("expected '" + c + "'");
        index++;
    }

    private char peek()
    {
        return index < text.length() ? text.charAt(index) : '\0';
    }

    private void skipWhitespace()
    {
        while (index < text.length() && " \t\r\n".indexOf(text.charAt(index)) >= 0)
        {
            index++;
        }
    }

    private IllegalArgumentException error(String what)
    {
        int from = Math.max(0, index - 20);
        int to = Math.min(text.length(), index + 20);
        return new IllegalArgumentException("JSON at offset " + index + ": " + what + " (near \"" + text.substring(from, to) + "\")");
    }
}
