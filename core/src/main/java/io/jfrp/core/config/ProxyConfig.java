package io.jfrp.core.config;

import java.util.List;

/** One [[proxies]] entry: a local service exposed on the server. */
public record ProxyConfig(String name, String type, String localIP, int localPort, int remotePort) {

    private static final List<String> LATER_TYPES = List.of("udp", "http", "https", "tcpmux", "stcp", "sudp", "xtcp");
    private static final List<String> PER_PROXY_LATER = List.of("transport.useEncryption", "transport.useCompression",
            "transport.bandwidthLimit", "transport.bandwidthLimitMode", "transport.proxyProtocolVersion",
            "loadBalancer.group", "loadBalancer.groupKey", "healthCheck.type", "healthCheck.path",
            "healthCheck.intervalSeconds", "healthCheck.timeoutSeconds", "healthCheck.maxFailed", "plugin.type",
            "customDomains", "subdomain", "locations", "httpUser", "httpPassword", "hostHeaderRewrite",
            "secretKey", "allowUsers", "routeByHTTPUser", "multiplexer");

    /** @return the proxy, or null when it is disabled ({@code enabled = false}) */
    static ProxyConfig read(ConfigSection s) {
        String name = s.requiredString("name");
        String type = s.string("type", "tcp");
        if (LATER_TYPES.contains(type)) {
            s.problem("type", s.node("type"), "\"" + type + "\" is not supported by jfrp yet (supported: tcp)");
        } else if (!type.equals("tcp")) {
            s.problem("type", s.node("type"), "\"" + type + "\" (expected: tcp)");
        }
        String localIP = s.string("localIP", "127.0.0.1");
        int localPort = s.requiredPort("localPort");
        int remotePort = s.port("remotePort", 0, true);
        boolean enabled = s.bool("enabled", true);
        for (String key : PER_PROXY_LATER) {
            s.unsupported(key, "");
        }
        s.noEffect("metadatas", "metadata is not used by jfrp");
        s.noEffect("annotations", "annotations are not used by jfrp");
        s.finish();
        return enabled ? new ProxyConfig(name, type, localIP, localPort, remotePort) : null;
    }
}
