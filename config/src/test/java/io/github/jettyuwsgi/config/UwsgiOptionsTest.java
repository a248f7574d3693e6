package io.github.jettyuwsgi.config;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The option table's suggestion for an unknown key: the edit distance it ranks names by, which stops early once a name
 * cannot beat the best one so far.
 */
public class UwsgiOptionsTest
{
    @Test
    void aBoundedDistanceIsExactBelowItsLimitAndAtLeastTheLimitOtherwise()
    {
        Random random = new Random(42);
        for (int n = 0; n < 20_000; n++)
        {
            String a = word(random);
            String b = random.nextBoolean() ? word(random) : edit(a, random);
            int exact = UwsgiOptions.levenshtein(a, b);
            int limit = 1 + random.nextInt(5);
            int bounded = UwsgiOptions.levenshtein(a, b, limit);
            if (exact < limit)
                assertEquals(exact, bounded, a + " / " + b + " limit " + limit);
            else
                assertTrue(bounded >= limit && bounded <= exact, a + " / " + b + " limit " + limit + ": " + bounded + " (exact " + exact + ")");
        }
    }

    @Test
    void theDistanceIsTheEditCount()
    {
        assertEquals(0, UwsgiOptions.levenshtein("threads", "threads"));
        assertEquals(1, UwsgiOptions.levenshtein("thread", "threads"));
        assertEquals(1, UwsgiOptions.levenshtein("post buffering", "post-buffering"));
        assertEquals(3, UwsgiOptions.levenshtein("kitten", "sitting"));
        assertEquals(7, UwsgiOptions.levenshtein("", "threads"));
    }

    @Test
    void aSuggestionIsTheNearestOptionWithinTheEditBudget()
    {
        UwsgiOptions options = UwsgiOptions.defaults();
        assertEquals("threads", options.suggest("thread").orElseThrow());
        assertEquals("harakiri", options.suggest("harakri").orElseThrow());
        assertEquals("post-buffering", options.suggest("post_bufering").orElseThrow());
        // one edit per four characters: two edits to a five-letter key is too far
        assertTrue(options.suggest("zzqqxx").isEmpty());
    }

    private static String word(Random random)
    {
        StringBuilder word = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--)
            word.append((char)('a' + random.nextInt(4)));
        return word.toString();
    }

    private static String edit(String word, Random random)
    {
        StringBuilder edited = new StringBuilder(word);
        for (int i = random.nextInt(4); i > 0; i--)
        {
            int at = random.nextInt(edited.length() + 1);
            switch (random.nextInt(3))
            {
                case 0 -> edited.insert(at, (char)('a' + random.nextInt(4)));
                case 1 -> { if (at < edited.length()) edited.deleteCharAt(at); }
                default -> { if (at < edited.length()) edited.setCharAt(at, (char)('a' + random.nextInt(4))); }
            }
        }
        return edited.toString();
    }
}
