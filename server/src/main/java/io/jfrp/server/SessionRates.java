package io.jfrp.server;

import io.jfrp.core.mux.ByteRate;

import java.util.HashMap;
import java.util.Map;

/**
 * frp's {@code bandwidthLimitMode = "server"}: the limits one session's proxies asked the server to hold
 * their streams to (bytes per second in NEW_PROXY's options), by qualified proxy name. On the session's loop.
 */
final class SessionRates {

    private final Map<String, ByteRate> byName = new HashMap<>();

    /** The limit of {@code name}'s streams, or null. */
    ByteRate of(String name) {
        return byName.get(name);
    }

    /** {@code bytesPerSecond} as the client sent it: "" (or anything but a positive number) for none. */
    void set(String name, String bytesPerSecond) {
        long n;
        try {
            n = bytesPerSecond.isEmpty() ? 0 : Long.parseLong(bytesPerSecond);
        } catch (NumberFormatException e) {
            n = 0; // a client that sends no number asks for no limit
        }
        ByteRate was = byName.get(name);
        if (n <= 0) {
            byName.remove(name);
        } else if (was == null || was.bytesPerSecond() != n) {
            byName.put(name, new ByteRate(n));
        }
    }

    void remove(String name) {
        byName.remove(name);
    }

    void clear() {
        byName.clear();
    }
}
