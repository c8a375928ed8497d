package io.jfrp.core.resilience;

import io.jfrp.core.config.ReconnectSettings;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the n-th consecutive failure waits initial * multiplier^n, capped,
 * then spread by +/- jitter. During the first {@link #FAST_PHASE} of an outage the cap is at most
 * {@link #FAST_CAP} (or the initial interval, if that is longer), so a server that restarts in a few seconds is found again within about a second;
 * after that the cap is the configured maximum. One per control loop; not thread-safe.
 */
public final class ReconnectPolicy {

    /** How long after a drop retries stay frequent. */
    public static final Duration FAST_PHASE = Duration.ofSeconds(30);
    /** The longest wait during the fast phase. */
    public static final Duration FAST_CAP = Duration.ofSeconds(1);

    private final ReconnectSettings settings;
    private final DoubleSupplier random;
    private int failures;

    public ReconnectPolicy(ReconnectSettings settings, DoubleSupplier random) {
        this.settings = settings;
        this.random = random;
    }

    public ReconnectPolicy(ReconnectSettings settings) {
        this(settings, Math::random);
    }

    /**
     * Records one more failure and returns how long to wait before the next attempt.
     * @param outage how long the tunnel has been down so far
     */
    public Duration nextDelay(Duration outage) {
        long max = settings.maxInterval().toNanos();
        long fastCap = Math.min(max, Math.max(settings.initialInterval().toNanos(), FAST_CAP.toNanos()));
        long cap = outage.compareTo(FAST_PHASE) < 0 ? fastCap : max;
        double base = settings.initialInterval().toNanos() * Math.pow(settings.multiplier(), failures);
        failures = Math.min(failures + 1, 64);
        return jittered(Math.min(base, cap));
    }

    /** The slowest pace: what an open circuit probes at. */
    public Duration maxDelay() {
        return jittered(settings.maxInterval().toNanos());
    }

    private Duration jittered(double nanos) {
        double spread = 1.0 + settings.jitter() * (2 * random.getAsDouble() - 1);
        return Duration.ofNanos((long) Math.max(0, nanos * spread));
    }

    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
