package io.jfrp.core.config;

/**
 * frp's {@code loadBalancer} and {@code healthCheck} of a proxy: the group whose members share one public
 * end (a port, or a domain and path), users spread among them, guarded by a key every member must know;
 * and the check that takes the proxy out of its group, or off the server, while its service fails.
 * {@code group} "" is none; {@code check} null is none.
 */
public record ProxyBalancing(String group, String groupKey, HealthCheck check) {

    public static final ProxyBalancing NONE = new ProxyBalancing("", "", null);

    public boolean grouped() {
        return !group.isEmpty();
    }
}
