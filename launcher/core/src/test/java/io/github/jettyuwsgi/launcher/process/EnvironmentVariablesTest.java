package io.github.jettyuwsgi.launcher.process;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EnvironmentVariables} over a plain map standing for the JVM's (the real one is changed in
 * {@code ProcessSettingsIT}, in a launcher started with {@code java -jar}).
 */
public class EnvironmentVariablesTest
{
    private final Map<String, String> launch = new HashMap<>(Map.of("KEPT", "launch", "REMOVED", "launch", "CHANGED", "launch"));
    private final EnvironmentVariables variables = new EnvironmentVariables(launch, null);

    private static Map<String, String> env(String... namesAndValues)
    {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            env.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return env;
    }

    @Test
    public void testSetsAndRemoves()
    {
        variables.apply(env("NEW", "1", "REMOVED", null, "CHANGED", "2"));

        assertEquals(Map.of("KEPT", "launch", "NEW", "1", "CHANGED", "2"), launch);
    }

    @Test
    public void testAReloadGivesVariablesNoLongerNamedTheirLaunchValueBack()
    {
        variables.apply(env("NEW", "1", "REMOVED", null, "CHANGED", "2"));
        variables.apply(env("CHANGED", "3", "OTHER", "4"));

        assertEquals(Map.of("KEPT", "launch", "REMOVED", "launch", "CHANGED", "3", "OTHER", "4"), launch);

        variables.apply(Map.of());

        assertEquals(Map.of("KEPT", "launch", "REMOVED", "launch", "CHANGED", "launch"), launch);
    }

    @Test
    public void testTheLaunchValueIsTheOneBeforeTheFirstChange()
    {
        variables.apply(env("CHANGED", "2"));
        variables.apply(env("CHANGED", "3"));
        variables.apply(env("KEPT", "x"));

        assertEquals("launch", launch.get("CHANGED"));
        assertEquals("x", launch.get("KEPT"));
    }

    @Test
    public void testWithoutTheOpeningTheFailureSaysWhatToAdd()
    {
        // surefire runs the tests on a class path without --add-opens, as an application embedding the launcher would
        IllegalStateException failure = assertThrows(IllegalStateException.class, EnvironmentVariables::ofThisProcess);

        assertEquals(EnvironmentVariables.OPENS_MISSING, failure.getMessage());
        assertTrue(failure.getMessage().contains("--add-opens java.base/java.util=ALL-UNNAMED"));
        assertFalse(failure.getMessage().contains("\n"));
    }
}
