package io.github.jettyuwsgi.uwsgi.codec;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vars block of one uwsgi packet: CGI-style name/value pairs in arrival order, repeated names kept.
 *
 * <p>The parser fills it, the request mapping reads it, and applications see it read-only through the request attribute
 * {@code io.github.jettyuwsgi.uwsgi.vars}. Names and values are the raw bytes read as ISO-8859-1, one char per byte, which
 * is lossless and is how Jetty's own HTTP parser reads header values; nginx 1.22 sends one var per repeated header line,
 * so a name may occur more than once.</p>
 */
public final class UwsgiVars
{
    private String[] names;
    private String[] values;
    private int size;

    public UwsgiVars()
    {
        this(16);
    }

    public UwsgiVars(int capacity)
    {
        names = new String[Math.max(4, capacity)];
        values = new String[names.length];
    }

    /**
     * @param namesAndValues name, value, name, value, ...
     * @return vars holding the given pairs in order
     */
    public static UwsgiVars of(String... namesAndValues)
    {
        if (namesAndValues.length % 2 != 0)
            throw new IllegalArgumentException("namesAndValues: " + namesAndValues.length + " strings (expected: an even number)");
        UwsgiVars vars = new UwsgiVars(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2)
            vars.add(namesAndValues[i], namesAndValues[i + 1]);
        return vars;
    }

    public UwsgiVars add(String name, String value)
    {
        if (name == null || name.isEmpty())
            throw new IllegalArgumentException("var name: empty (expected: 1 or more characters)");
        if (size == names.length)
        {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value == null ? "" : value;
        size++;
        return this;
    }

    public int size()
    {
        return size;
    }

    public String name(int index)
    {
        return names[checkIndex(index)];
    }

    public String value(int index)
    {
        return values[checkIndex(index)];
    }

    private int checkIndex(int index)
    {
        if (index < 0 || index >= size)
            throw new IndexOutOfBoundsException("var index: " + index + " (expected: 0 to " + (size - 1) + ")");
        return index;
    }

    /**
     * @param name the var name, case-sensitive as CGI names are
     * @return the first value of that name, or null
     */
    public String get(String name)
    {
        for (int i = 0; i < size; i++)
        {
            if (names[i].equals(name))
                return values[i];
        }
        return null;
    }

    /**
     * @param name the var name
     * @return every value of that name, in arrival order (empty if none)
     */
    public List<String> getAll(String name)
    {
        List<String> all = null;
        for (int i = 0; i < size; i++)
        {
            if (names[i].equals(name))
            {
                if (all == null)
                    all = new ArrayList<>(2);
                all.add(values[i]);
            }
        }
        return all == null ? List.of() : all;
    }

    /**
     * @param name a var that must occur at most once with one meaning (e.g. {@code CONTENT_LENGTH})
     * @return its value, or null when absent
     * @throws UwsgiException when the var repeats with different values: two lengths for one body is how requests get smuggled
     */
    public String getSingle(String name)
    {
        String found = null;
        for (int i = 0; i < size; i++)
        {
            if (names[i].equals(name))
            {
                if (found == null)
                    found = values[i];
                else if (!found.equals(values[i]))
                    throw new UwsgiException(name + ": '" + found + "' and '" + values[i] + "' (expected: one value)");
            }
        }
        return found;
    }

    /**
     * Removes every var of a name, keeping the others in their order: for a var meant for the connector only (the
     * frontend secret), which must not reach the application.
     *
     * @param name the var name
     * @return how many were removed
     */
    public int removeAll(String name)
    {
        int kept = 0;
        for (int i = 0; i < size; i++)
        {
            if (!names[i].equals(name))
            {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        int removed = size - kept;
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
        return removed;
    }

    /**
     * @return an unmodifiable map of name to values, in arrival order; the form applications receive
     */
    public Map<String, List<String>> toMap()
    {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++)
            map.computeIfAbsent(names[i], k -> new ArrayList<>(1)).add(values[i]);
        map.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(map);
    }

    /**
     * @return the same content as {@link #toMap()}, built only when first read: the connection puts it on every request
     * as the request attribute {@code io.github.jettyuwsgi.uwsgi.vars}, and most applications never look at it
     */
    public View asMap()
    {
        return new View(this);
    }

    /**
     * The read-only map view of {@link #asMap()}. Besides the map, it answers what a request log asks of every request
     * (one var, the pair count, the block size) from the vars themselves, without building the map.
     */
    public static final class View extends AbstractMap<String, List<String>>
    {
        private final UwsgiVars vars;
        private Map<String, List<String>> map;

        private View(UwsgiVars vars)
        {
            this.vars = vars;
        }

        private Map<String, List<String>> map()
        {
            if (map == null)
                map = vars.toMap();
            return map;
        }

        /**
         * @param name the var name
         * @return its first value, or null
         */
        public String first(String name)
        {
            return vars.get(name);
        }

        /**
         * @return the number of name/value pairs, repeated names counted each time
         */
        public int pairs()
        {
            return vars.size;
        }

        /**
         * @return the size of the vars block these pairs make on the wire: a 2-byte length before each name and value
         */
        public int blockSize()
        {
            int bytes = 0;
            for (int i = 0; i < vars.size; i++)
                bytes += 4 + vars.names[i].length() + vars.values[i].length();
            return bytes;
        }

        @Override
        public Set<Entry<String, List<String>>> entrySet()
        {
            return map().entrySet();
        }

        @Override
        public List<String> get(Object key)
        {
            return map().get(key);
        }

        @Override
        public boolean containsKey(Object key)
        {
            return map().containsKey(key);
        }

        @Override
        public int size()
        {
            return map().size();
        }
    }

    @Override
    public String toString()
    {
        StringBuilder builder = new StringBuilder("UwsgiVars{");
        for (int i = 0; i < size; i++)
        {
            if (i > 0)
                builder.append(", ");
            builder.append(names[i]).append('=').append(values[i]);
        }
        return builder.append('}').toString();
    }
}
