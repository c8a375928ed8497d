package io.jfrp.core.config;

import java.time.Duration;

/** transport.reconnect.* (a jfrp extension): exponential backoff with jitter between attempts. */
public record ReconnectSettings(Duration initialInterval, Duration maxInterval, double multiplier, double jitter) {

    public static final ReconnectSettings DEFAULT =
            new ReconnectSettings(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, 0.2);
}
