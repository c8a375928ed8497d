package io.jfrp.core.config;

import java.util.List;

/** Reads one [[proxies]] table into the {@link ProxyConfig} of its type, with every problem named. */
final class ProxyConfigReader {

    private ProxyConfigReader() {
    }

    private static final String SERVED = String.join(", ", java.util.Arrays.stream(ProxyType.values())
            .filter(ProxyType::served).map(ProxyType::configName).toList());

    private static final List<String> PER_PROXY_LATER = List.of("transport.bandwidthLimit", "transport.bandwidthLimitMode", "transport.proxyProtocolVersion",
            "loadBalancer.group", "loadBalancer.groupKey", "healthCheck.type", "healthCheck.path",
            "healthCheck.intervalSeconds", "healthCheck.timeoutSeconds", "healthCheck.maxFailed", "plugin.type",
            "customDomains", "subdomain", "locations", "httpUser", "httpPassword", "hostHeaderRewrite",
            "secretKey", "allowUsers", "routeByHTTPUser", "multiplexer");

    /** @return the proxy, or null when it is disabled ({@code enabled = false}); problems are recorded on {@code s} */
    static ProxyConfig read(ConfigSection s, int udpPacketSize) {
        String name = s.requiredString("name");
        String typeName = s.string("type", "tcp");
        ProxyType type = ProxyType.of(typeName).orElse(null);
        if (type == null) {
            s.problem("type", s.node("type"), "\"" + typeName + "\" (expected: " + SERVED + ")");
        } else if (!type.served()) {
            s.problem("type", s.node("type"), "\"" + typeName + "\" is not supported by jfrp yet (supported: " + SERVED + ")");
        }
        String localIP = s.string("localIP", "127.0.0.1");
        int localPort = s.requiredPort("localPort");
        int remotePort = s.port("remotePort", 0, true);
        boolean enabled = s.bool("enabled", true);
        for (String key : PER_PROXY_LATER) {
            s.unsupported(key, "");
        }
        s.noEffect("transport.useEncryption", "the whole tunnel is encrypted by TLS already");
        s.noEffect("transport.useCompression", "jfrp does not compress; TLS carries the bytes as they are");
        s.noEffect("metadatas", "metadata is not used by jfrp");
        s.noEffect("annotations", "annotations are not used by jfrp");
        s.finish();
        if (!enabled) {
            return null;
        }
        return type == ProxyType.UDP ? new UdpProxyConfig(name, localIP, localPort, remotePort, udpPacketSize)
                : new TcpProxyConfig(name, localIP, localPort, remotePort);
    }
}
