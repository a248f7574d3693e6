package io.github.jettyuwsgi.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON config reader of uWSGI 2.0.21 ({@code core/json.c}, yajl tree variant): the object named by the section
 * ({@code uwsgi} by default) holds the options. A string is the value; {@code true} is {@code 1}; {@code false} and
 * {@code null} are {@code 0}; a number is kept as written; an array repeats the key once per element; nested objects
 * are ignored. This is a small strict JSON parser, enough for config files, not a general library.
 */
final class JsonFormat
{
    private final String text;
    private final String source;
    private int pos;
    private int line = 1;

    private JsonFormat(String text, String source)
    {
        this.text = text;
        this.source = source;
    }

    /**
     * @return the options of the object {@code section}, in document order
     * @throws ConfigException when the text is not JSON or has no such object
     */
    static List<RawOption> read(String text, String section, String source)
    {
        JsonFormat parser = new JsonFormat(text, source);
        parser.skipSpace();
        parser.expect('{');
        List<RawOption> found = null;
        parser.skipSpace();
        if (parser.peek() != '}')
        {
            do
            {
                parser.skipSpace();
                String name = parser.string();
                parser.skipSpace();
                parser.expect(':');
                parser.skipSpace();
                if (name.equals(section) && found == null && parser.peek() == '{')
                    found = parser.options();
                else if (name.equals(section) && found == null)
                    throw parser.error("the value of \"" + section + "\" must be an object");
                else
                    parser.value(null, null, 0);
                parser.skipSpace();
            }
            while (parser.accept(','));
        }
        parser.expect('}');
        parser.skipSpace();
        if (parser.pos != text.length())
            throw parser.error("unexpected text after the top-level object");
        if (found == null)
            throw new ConfigException(source + ": no object named \"" + section + "\" in the JSON data (expected: {\"" + section + "\": {...}})");
        return found;
    }

    private List<RawOption> options()
    {
        List<RawOption> options = new ArrayList<>();
        expect('{');
        skipSpace();
        if (accept('}'))
            return options;
        do
        {
            skipSpace();
            int keyLine = line;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (peek() == '[')
            {
                expect('[');
                skipSpace();
                if (!accept(']'))
                {
                    do
                    {
                        skipSpace();
                        value(options, key, keyLine);
                        skipSpace();
                    }
                    while (accept(','));
                    expect(']');
                }
            }
            else
            {
                value(options, key, keyLine);
            }
            skipSpace();
        }
        while (accept(','));
        expect('}');
        return options;
    }

    /**
     * Parses one value; when {@code options} is not null and the value is a scalar, adds it under {@code key}.
     */
    private void value(List<RawOption> options, String key, int keyLine)
    {
        char c = peek();
        String scalar;
        if (c == '"')
        {
            scalar = string();
        }
        else if (c == '{' || c == '[')
        {
            skipNested();
            return;
        }
        else if (text.startsWith("true", pos))
        {
            pos += 4;
            scalar = "1";
        }
        else if (text.startsWith("false", pos))
        {
            pos += 5;
            scalar = "0";
        }
        else if (text.startsWith("null", pos))
        {
            pos += 4;
            scalar = "0";
        }
        else if (c == '-' || (c >= '0' && c <= '9'))
        {
            int start = pos;
            while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0)
                pos++;
            scalar = text.substring(start, pos);
        }
        else
        {
            throw error("unexpected character '" + c + "'");
        }
        if (options != null)
            options.add(new RawOption(key, scalar, keyLine));
    }

    private void skipNested()
    {
        char open = text.charAt(pos++);
        char close = open == '{' ? '}' : ']';
        skipSpace();
        if (accept(close))
            return;
        do
        {
            skipSpace();
            if (open == '{')
            {
                string();
                skipSpace();
                expect(':');
                skipSpace();
            }
            value(null, null, 0);
            skipSpace();
        }
        while (accept(','));
        expect(close);
    }

    private String string()
    {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true)
        {
            if (pos >= text.length())
                throw error("unterminated string");
            char c = text.charAt(pos++);
            if (c == '"')
                return out.toString();
            if (c == '\n')
                line++;
            if (c != '\\')
            {
                out.append(c);
                continue;
            }
            if (pos >= text.length())
                throw error("unterminated string");
            char e = text.charAt(pos++);
            switch (e)
            {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' ->
                {
                    String hex = text.substring(pos, Math.min(pos + 4, text.length()));
                    if (hex.length() < 4 || !hex.chars().allMatch(h -> h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F'))
                        throw error("bad \\u escape '\\u" + hex + "' (expected: four hex digits)");
                    out.append((char)Integer.parseInt(hex, 16));
                    pos += 4;
                }
                case '"', '\\', '/' -> out.append(e);
                default -> throw error("bad escape '\\" + e + "'");
            }
        }
    }

    private void skipSpace()
    {
        while (pos < text.length())
        {
            char c = text.charAt(pos);
            if (c == '\n')
                line++;
            else if (c != ' ' && c != '\t' && c != '\r')
                return;
            pos++;
        }
    }

    private char peek()
    {
        if (pos >= text.length())
            throw error("unexpected end of the JSON data");
        return text.charAt(pos);
    }

    private boolean accept(char c)
    {
        if (pos < text.length() && text.charAt(pos) == c)
        {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c)
    {
        if (!accept(c))
            throw error("expected '" + c + "'");
    }

    private ConfigException error(String what)
    {
        return new ConfigException(source + ":" + line + ": invalid JSON: " + what);
    }
}
