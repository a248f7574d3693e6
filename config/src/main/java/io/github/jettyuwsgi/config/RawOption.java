package io.github.jettyuwsgi.config;

/**
 * One {@code key = value} as a file format reader found it, before it enters the configuration.
 *
 * @param key the key, stripped
 * @param value the value, stripped; never null in a file
 * @param line the 1-based line number in the file (after magic substitution)
 */
record RawOption(String key, String value, int line)
{
}
