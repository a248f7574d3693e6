package io.github.jettyuwsgi.config;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code $(ENV)}, {@code %(placeholder)}, placeholder math and {@code set-ph}/{@code set}: one row per rule, the
 * expected values from {@code X_NAME=ME uwsgi --ini p1.ini --show-config} with uWSGI 2.0.21 (HOME=/root).
 */
class PlaceholderTest
{
    static final String P1 = ConfigFixture.ini("[uwsgi]",
        "threads = 4",
        "threads = 8",
        "a = %(b)",
        "b = 1",
        "c = %(a)",
        "d = x%(a)",
        "e = %(f)",
        "f = %(g)",
        "g = 7",
        "h = x%(e)",
        "m1 = %(threads + 1)",
        "m2 = %(threads b + 1)",
        "m3 = %(nope + 1)",
        "m4 = %(threads ++)",
        "m5 = %(threads * 3 / 2 - 1)",
        "m6 = %(threads / 0)",
        "m7 = %(threads)%(b)",
        "m8 = %()",
        "m9 = %(threads +)",
        "m10 = %(3 -- ++ ++)",
        "m11 = %(b c)",
        "env1 = $(HOME)",
        "env2 = $(NOPE_NOT_SET)",
        "env3 = $(HO$(X_NAME))",
        "set-ph = ph1=$(HOME)",
        "set = s1=$(HOME)",
        "php = %(ph1)",
        "s1p = %(s1)",
        "flag",
        "fl = %(flag)",
        "listen = %(b)",
        "fwd = %(later + 1)",
        "later = 5");

    static UwsgiConfig config;

    @BeforeAll
    static void load(@TempDir Path temp)
    {
        ConfigFixture fixture = new ConfigFixture(temp).file("p1.ini", P1).env("X_NAME", "ME");
        config = fixture.load("--ini", "p1.ini");
    }

    @ParameterizedTest(name = "{0} = {1}  ({2})")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        "a | 1 | forward reference to a plain value",
        "c | 1 | reference to an already expanded value",
        "d | x1 | text around a reference",
        "e | %(g) | a replacement starting with %( is not expanded again (scan resumes at index 1)",
        "h | x7 | ... but it is when preceded by text",
        "m1 | 5 | %(threads) is the FIRST value (4), not the last",
        "m2 | 42 | no operator means concatenation: 4 2 -> 42",
        "m3 | 1 | a missing name in math is empty, strtoll gives 0",
        "m4 | 5 | ++",
        "m5 | 5 | left to right: 4*3=12, /2=6, -1=5",
        "m6 | 0 | division by zero gives 0",
        "m7 | 41 | two references",
        "m8 | %() | an empty key is left alone",
        "m9 | 4 | a trailing operator does nothing",
        "m10 | 4 | 3 -- ++ ++",
        "m11 | 11 | concatenation of two names",
        "env1 | /root | $(ENV)",
        "env2 | $(NOPE_NOT_SET) | an unset variable stays as written",
        "env3 | $(HOME) | inner first; the result starting with $( is not expanded again",
        "ph1 | $(HOME) | set-ph values are applied at read time and never expanded",
        "s1 | /root | set = k=v makes an ordinary (expanded) entry",
        "php | $(HOME) | a reference to a set-ph placeholder",
        "s1p | /root | a reference to a set placeholder",
        "flag | '' | a bare key has the empty value",
        "fl | '' | a reference to an empty value is empty",
        "listen | %(b) | listen is applied at read time in uWSGI, so never expanded",
        "fwd | 6 | forward reference in math"
    })
    void placeholder(String key, String expected, String rule)
    {
        assertEquals(expected, config.getAll(key).get(0), rule);
    }
}
