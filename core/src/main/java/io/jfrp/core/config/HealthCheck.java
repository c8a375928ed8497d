package io.jfrp.core.config;

import java.time.Duration;
import java.util.Map;

/**
 * frp's {@code healthCheck}: how the client checks a proxy's local service (a TCP connect, or an HTTP GET
 * of {@code path} that must answer 2xx), every {@code interval}, each given {@code timeout}. The proxy is
 * registered once a check passes and withdrawn from the server after {@code maxFailed} failed checks in a
 * row, so a load-balancing group sends no user to a service that is down.
 */
public record HealthCheck(Kind kind, String path, Duration interval, Duration timeout, int maxFailed,
                          Map<String, String> httpHeaders) {

    /** frp's defaults: every 10 s, 3 s each, withdrawn at the first failure. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    public enum Kind { TCP, HTTP }

    public HealthCheck {
        httpHeaders = Map.copyOf(httpHeaders);
    }

    /** The key the config names it by ({@code tcp}, {@code http}). */
    public String kindName() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
