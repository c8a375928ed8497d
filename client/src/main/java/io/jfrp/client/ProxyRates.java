package io.jfrp.client;

import io.jfrp.core.config.ProxyBandwidth;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.mux.ByteRate;

import java.util.HashMap;
import java.util.Map;

/**
 * The bandwidth limits the client applies (frp's {@code bandwidthLimitMode = "client"}): one per proxy,
 * shared by its streams, made anew when a reload changes the limit. Used on the session's loop.
 */
final class ProxyRates {

    private final ProxySet proxies;
    private final String userPrefix;
    private final Map<String, Kept> byName = new HashMap<>();

    private record Kept(ProxyBandwidth bandwidth, ByteRate rate) {
    }

    ProxyRates(ProxySet proxies, String user) {
        this.proxies = proxies;
        this.userPrefix = user.isEmpty() ? "" : user + ".";
    }

    /** @param streamName the proxy's name as its streams carry it (with the user's prefix) */
    ByteRate of(String streamName) {
        String name = streamName.startsWith(userPrefix) ? streamName.substring(userPrefix.length()) : streamName;
        ProxyConfig p = proxies.get(name);
        if (p == null || !p.bandwidth().limited() || p.bandwidth().atServer()) {
            byName.remove(name);
            return null;
        }
        Kept k = byName.get(name);
        if (k == null || !k.bandwidth.equals(p.bandwidth())) {
            k = new Kept(p.bandwidth(), new ByteRate(p.bandwidth().bytesPerSecond()));
            byName.put(name, k);
        }
        return k.rate;
    }
}
