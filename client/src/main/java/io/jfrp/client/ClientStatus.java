package io.jfrp.client;

import java.time.Instant;
import java.util.List;

/** A snapshot of the client for status output and tests. */
public record ClientStatus(ClientState state, Instant since, String server, long rttMicros, int reconnects,
                           int consecutiveFailures, String lastError, String runId, List<Proxy> proxies) {

    /** One proxy: pending until the server answers, then running with its port, or refused and why. */
    public record Proxy(String name, ProxyState state, int remotePort, String lastError) {
    }

    public Proxy proxy(String name) {
        return proxies.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }
}
