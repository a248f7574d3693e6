package io.github.jettyuwsgi.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The ini reader of uWSGI 2.0.21 ({@code core/ini.c}): lines split on {@code \n}, space, tab and {@code \r}
 * stripped at both ends, {@code [name]} starts a section, a line starting with {@code ;} or {@code #} is a comment,
 * {@code key = value} splits on the first {@code =}. There are no inline comments, no quoting and no continuation
 * lines: {@code x = 5 ; note} is the value {@code 5 ; note}. A bare {@code key} has the empty value.
 */
final class IniFormat
{
    private IniFormat()
    {
    }

    /**
     * @param text the file text, magic variables already substituted
     * @param section the section to read ({@code uwsgi} by default)
     * @return the options of that section in file order, or null when the file has no such section
     */
    static List<RawOption> read(String text, String section)
    {
        List<RawOption> options = new ArrayList<>();
        boolean gotSection = false;
        String current = "";
        int lineNumber = 0;
        int start = 0;
        while (start < text.length())
        {
            int end = text.indexOf('\n', start);
            if (end < 0)
                end = text.length();
            String line = strip(text.substring(start, end));
            start = end + 1;
            lineNumber++;
            if (line.isEmpty() || line.charAt(0) == ';' || line.charAt(0) == '#')
                continue;
            if (line.charAt(0) == '[')
            {
                // uWSGI drops the last character whatever it is: "[uwsgi] x" is section "uwsgi] "
                current = line.length() > 1 ? line.substring(1, line.length() - 1) : "";
                continue;
            }
            if (!current.equals(section))
                continue;
            gotSection = true;
            int equals = line.indexOf('=');
            String key = equals < 0 ? line : strip(line.substring(0, equals));
            String value = equals < 0 ? "" : strip(line.substring(equals + 1));
            options.add(new RawOption(key, value, lineNumber));
        }
        return gotSection ? options : null;
    }

    /**
     * Strips what uWSGI strips: space, tab and carriage return (not other whitespace).
     */
    static String strip(String s)
    {
        int from = 0;
        int to = s.length();
        while (from < to && isBlank(s.charAt(from)))
            from++;
        while (to > from && isBlank(s.charAt(to - 1)))
            to--;
        return s.substring(from, to);
    }

    private static boolean isBlank(char c)
    {
        return c == ' ' || c == '\t' || c == '\r';
    }
}
