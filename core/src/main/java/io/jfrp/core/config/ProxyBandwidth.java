package io.jfrp.core.config;

import java.util.List;

/**
 * frp's {@code transport.bandwidthLimit} of a proxy: at most {@code bytesPerSecond} through its
 * connections together, both directions counted (a burst of one second's worth), applied by the client
 * to its local sockets or, with {@code bandwidthLimitMode = "server"}, by the server to its users'.
 * {@code bytesPerSecond} 0 is no limit.
 */
public record ProxyBandwidth(long bytesPerSecond, boolean atServer) {

    public static final ProxyBandwidth NONE = new ProxyBandwidth(0, false);

    public boolean limited() {
        return bytesPerSecond > 0;
    }

    /** frp's quantity: a number (fractions allowed) with KB or MB (1024-based); "" for none. @return -1 if not one */
    static long parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return 0;
        }
        long base = t.endsWith("MB") ? 1024 * 1024 : t.endsWith("KB") ? 1024 : 0;
        if (base == 0) {
            return -1;
        }
        try {
            double n = Double.parseDouble(t.substring(0, t.length() - 2));
            return n < 0 || Double.isNaN(n) || n * base > Long.MAX_VALUE ? -1 : (long) (n * base);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static ProxyBandwidth read(ConfigSection s, ProxyType type) {
        String text = s.string("transport.bandwidthLimit", "");
        long bytes = parse(text);
        if (bytes < 0) {
            s.problem("transport.bandwidthLimit", s.node("transport.bandwidthLimit"), "\"" + text
                    + "\" (expected: a quantity in KB or MB, such as \"10KB\" or \"1.5MB\")");
            bytes = 0;
        }
        String mode = s.oneOf("transport.bandwidthLimitMode", "client", List.of("client", "server"));
        if (bytes > 0 && type == ProxyType.UDP) {
            s.problem("transport.bandwidthLimit", s.node("transport.bandwidthLimit"), "\"" + text + "\": jfrp limits "
                    + "the bandwidth of stream proxies (tcp, http, https, tcpmux), not udp's datagrams");
            bytes = 0;
        }
        if (bytes == 0 && s.has("transport.bandwidthLimitMode")) {
            s.warn("transport.bandwidthLimitMode", "has no effect without transport.bandwidthLimit");
        }
        return bytes == 0 ? NONE : new ProxyBandwidth(bytes, mode.equals("server"));
    }
}
