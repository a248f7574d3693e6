package io.github.jettyuwsgi.launcher.emperor;

/**
 * How long the {@link Emperor} waits before starting again a vassal that died: uWSGI 2.0.21's blacklist throttling
 * ({@code uwsgi_emperor_blacklist_add} in {@code core/emperor.c}), one instance per vassal.
 *
 * <p>uWSGI forgives a vassal once it is "loyal" (it has served its first request) and otherwise makes the wait grow
 * by {@code emperor-throttle} at each death until it reaches {@code emperor-max-throttle}; a death at the maximum
 * logs "maximum throttle level reached" and halves the wait, so a hopeless vassal is retried in a saw-tooth between
 * half and all of the maximum. The launcher's vassals cannot tell the emperor about their first request, so here a
 * vassal is loyal once it has run for {@link #LOYAL_AFTER_MILLIS}: long enough to have started and served, short
 * enough that a crash after real service is not punished for crashes long ago.</p>
 */
final class Throttle
{
    /** How long a vassal must have run for its death to reset the throttling. */
    static final long LOYAL_AFTER_MILLIS = 30_000;

    /**
     * The wait before the next start.
     *
     * @param millis the wait, in milliseconds
     * @param maximumReached true when the wait was at {@code emperor-max-throttle} and has just been halved
     */
    record Delay(long millis, boolean maximumReached)
    {
    }

    private final long step;
    private final long maximum;
    private final long loyalAfterMillis;
    /** The wait given at the last death; 0 while the vassal is not throttled (never died, or was loyal). */
    private long level;

    /**
     * @param step {@code emperor-throttle}: the first wait, and how much it grows at each death, in milliseconds
     * @param maximum {@code emperor-max-throttle}, in milliseconds, at least {@code step}
     * @param loyalAfterMillis how long a vassal must run to be forgiven
     */
    Throttle(long step, long maximum, long loyalAfterMillis)
    {
        if (step <= 0 || maximum < step)
            throw new IllegalArgumentException("throttle: step " + step + ", maximum " + maximum + " (expected: 0 < step <= maximum)");
        this.step = step;
        this.maximum = maximum;
        this.loyalAfterMillis = loyalAfterMillis;
    }

    /**
     * @param ranMillis how long the vassal ran before it died
     * @return the wait before starting it again
     */
    Delay afterDeath(long ranMillis)
    {
        if (ranMillis >= loyalAfterMillis)
            level = 0;
        if (level == 0)
        {
            level = step;
            return new Delay(level, false);
        }
        if (level < maximum)
        {
            level = Math.min(level + step, maximum);
            return new Delay(level, false);
        }
        level = Math.max(step, level / 2);
        return new Delay(level, true);
    }
}
