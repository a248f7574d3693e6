package io.github.jettyuwsgi.config;

/**
 * The bounds one configuration load keeps to, whatever its files say: uWSGI itself has none of them and loops, recurses
 * or grows until it crashes on an include cycle, a placeholder that refers to itself or a {@code for-times} in the
 * billions. The loader checks them while it assembles and expands the entries, so a configuration error is always a
 * {@link ConfigException} with its source and line, never a hang or a full heap at start-up. Every bound is far beyond
 * real configurations (uWSGI's own are a few KB and a few hundred entries); tests and the fuzz target load with lower
 * ones, to reach the same paths in less time.
 *
 * @param maxEntries options one load may hold, loops and includes unrolled
 * @param maxReplacements {@code $()}, {@code @()} or {@code %()} replacements in one value
 * @param maxValueLength characters of one value after expansion
 * @param maxCopied characters copied by all expansions of one load (each replacement copies its whole value)
 * @param maxIncludeDepth files nested by include, and files inherited
 * @param maxFileBytes bytes of one file read: a config file, an {@code @(file)} or a {@code for-readline} file
 */
record ConfigLimits(int maxEntries, int maxReplacements, int maxValueLength, long maxCopied, int maxIncludeDepth, int maxFileBytes)
{
    static final int DEFAULT_MAX_ENTRIES = 100_000;
    static final int DEFAULT_MAX_REPLACEMENTS = 10_000;
    /** An {@code @(file)} of a certificate is a few KB. */
    static final int DEFAULT_MAX_VALUE_LENGTH = 1 << 20;
    static final long DEFAULT_MAX_COPIED = 16L << 20;
    static final int DEFAULT_MAX_INCLUDE_DEPTH = 64;
    static final int DEFAULT_MAX_FILE_BYTES = 16 << 20;

    static final ConfigLimits DEFAULTS = new ConfigLimits(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_REPLACEMENTS, DEFAULT_MAX_VALUE_LENGTH,
        DEFAULT_MAX_COPIED, DEFAULT_MAX_INCLUDE_DEPTH, DEFAULT_MAX_FILE_BYTES);
}
