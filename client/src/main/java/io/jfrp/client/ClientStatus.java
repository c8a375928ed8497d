package io.jfrp.client;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of the client for status output and tests: the session, the channel it is on and every
 * channel's health, and each proxy. {@code lastError} is the session's last failure while it is not
 * connected (cleared at login), {@code lastErrorAt} when it happened (null without one).
 */
public record ClientStatus(ClientState state, Instant since, String server, long rttMicros, int reconnects,
                           int consecutiveFailures, String lastError, String runId, List<Proxy> proxies,
                           String channel, List<Channel> channels, Instant lastErrorAt, int circuitOpens) {

    /**
     * One channel: its transport, address and proxy; active (the session's), standby (answered its last
     * probe), failed (and why) or untried; its round trip (the session's heartbeat when active, the last
     * probe's otherwise; -1 unknown); and since when it is in that state.
     */
    public record Channel(String name, String protocol, String address, String proxy, String state, long rttMicros,
                          String lastError, Instant since) {
    }

    /** One proxy: pending until the server answers, then running with its port, or refused and why. */
    public record Proxy(String name, ProxyState state, int remotePort, String lastError) {
    }

    public Proxy proxy(String name) {
        return proxies.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }
}
