package io.github.jettyuwsgi.launcher.emperor;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

public class ThrottleTest
{
    @Test
    public void testWaitGrowsByTheStepUpToTheMaximumThenHalvesAsUwsgi()
    {
        Throttle throttle = new Throttle(1000, 3500, 30_000);
        List<Throttle.Delay> delays = new ArrayList<>();
        for (int death = 0; death < 7; death++)
        {
            delays.add(throttle.afterDeath(100));
        }

        assertEquals(List.of(
            new Throttle.Delay(1000, false),
            new Throttle.Delay(2000, false),
            new Throttle.Delay(3000, false),
            new Throttle.Delay(3500, false),
            new Throttle.Delay(1750, true),
            new Throttle.Delay(2750, false),
            new Throttle.Delay(3500, false)), delays);
    }

    @Test
    public void testAVassalThatStayedUpIsForgiven()
    {
        Throttle throttle = new Throttle(1000, 180_000, 30_000);
        throttle.afterDeath(10);
        throttle.afterDeath(10);
        assertEquals(new Throttle.Delay(3000, false), throttle.afterDeath(29_999));

        assertEquals(new Throttle.Delay(1000, false), throttle.afterDeath(30_000));
        assertEquals(new Throttle.Delay(2000, false), throttle.afterDeath(10));
    }

    @Test
    public void testHalvingNeverGoesBelowTheStep()
    {
        Throttle throttle = new Throttle(1000, 1000, 30_000);

        assertEquals(new Throttle.Delay(1000, false), throttle.afterDeath(0));
        assertEquals(new Throttle.Delay(1000, true), throttle.afterDeath(0));
    }

    @Test
    public void testMaximumBelowStepIsRefused()
    {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> new Throttle(1000, 999, 30_000));
        assertEquals("throttle: step 1000, maximum 999 (expected: 0 < step <= maximum)", x.getMessage());
    }
}
