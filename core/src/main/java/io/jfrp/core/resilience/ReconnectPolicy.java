package io.jfrp.core.resilience;

import io.jfrp.core.config.ReconnectSettings;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the n-th consecutive failure waits initial * multiplier^n, capped
 * at max, then spread by +/- jitter. Immutable settings, mutable attempt count; one per control loop.
 */
public final class ReconnectPolicy {

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

    /** Records one more failure and returns how long to wait before the next attempt. */
    public Duration nextDelay() {
        double base = settings.initialInterval().toNanos() * Math.pow(settings.multiplier(), failures);
        double capped = Math.min(base, settings.maxInterval().toNanos());
        failures = Math.min(failures + 1, 64);
        double spread = 1.0 + settings.jitter() * (2 * random.getAsDouble() - 1);
        return Duration.ofNanos((long) Math.max(0, capped * spread));
    }

    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
