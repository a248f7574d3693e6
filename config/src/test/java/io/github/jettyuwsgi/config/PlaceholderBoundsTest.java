package io.github.jettyuwsgi.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounds of placeholder expansion (ConfigPass): a value that refers to itself stops with a ConfigException, and so
 * does a configuration whose values each stay under the per-value bounds but together copy more than the budget.
 */
class PlaceholderBoundsTest
{
    @TempDir
    Path temp;

    @Test
    void aValueThatRefersToItselfStops()
    {
        ConfigFixture fixture = new ConfigFixture(temp).file("self.ini", ConfigFixture.ini("[uwsgi]", "a = x%(a)%(a)"));
        ConfigException x = assertThrows(ConfigException.class, () -> fixture.load("--ini", "self.ini"));
        assertTrue(x.getMessage().contains("(expected: at most " + ConfigLimits.DEFAULT_MAX_VALUE_LENGTH + " and " + ConfigLimits.DEFAULT_MAX_COPIED), x.getMessage());
    }

    @Test
    void manyValuesUnderTheirOwnBoundsStopAtTheConfigurationsBudget()
    {
        // 200 values of 100,000 characters each: every one far under the per-value bounds, 20 million copied in all
        List<String> lines = new ArrayList<>(List.of("[uwsgi]", "big = " + "x".repeat(100_000)));
        for (int i = 0; i < 200; i++)
            lines.add("v" + i + " = %(big)");
        ConfigFixture fixture = new ConfigFixture(temp).file("many.ini", ConfigFixture.ini(lines.toArray(String[]::new)));
        ConfigException x = assertThrows(ConfigException.class, () -> fixture.load("--ini", "many.ini"));
        assertTrue(x.getMessage().contains("copied by this configuration's expansions"), x.getMessage());
    }

    @Test
    void aConfigurationUnderTheBudgetExpandsWhole()
    {
        List<String> lines = new ArrayList<>(List.of("[uwsgi]", "big = " + "x".repeat(100_000)));
        for (int i = 0; i < 100; i++)
            lines.add("v" + i + " = %(big)");
        UwsgiConfig config = new ConfigFixture(temp).file("some.ini", ConfigFixture.ini(lines.toArray(String[]::new))).load("--ini", "some.ini");
        assertEquals(100_000, config.get("v99").orElseThrow().length());
    }
}
