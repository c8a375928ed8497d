package io.jfrp.core.config;

import java.time.Duration;

/**
 * transport.reconnect.* (jfrp extensions): exponential backoff with jitter between attempts, and how
 * many consecutive failures open the circuit (probing at maxInterval, logging a summary, not a flood).
 */
public record ReconnectSettings(Duration initialInterval, Duration maxInterval, double multiplier, double jitter,
                                int circuitBreakerThreshold) {

    public static final ReconnectSettings DEFAULT =
            new ReconnectSettings(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, 0.2, 30);
}
