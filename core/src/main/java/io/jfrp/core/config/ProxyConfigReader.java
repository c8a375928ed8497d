package io.jfrp.core.config;

import java.util.List;
import java.util.Map;

/** Reads one [[proxies]] table into the {@link ProxyConfig} of its type, with every problem named. */
final class ProxyConfigReader {

    private ProxyConfigReader() {
    }

    private static final String SERVED = String.join(", ", java.util.Arrays.stream(ProxyType.values())
            .filter(ProxyType::served).map(ProxyType::configName).toList());

    private static final List<String> PER_PROXY_LATER = List.of("transport.bandwidthLimit", "transport.bandwidthLimitMode",
            "locations", "hostHeaderRewrite", "secretKey", "allowUsers");
    /** frp's per-proxy tables jfrp does not act on yet: each key under them is named as such. */
    private static final List<String> PER_PROXY_TABLES_LATER = List.of("loadBalancer", "healthCheck", "plugin",
            "requestHeaders", "responseHeaders", "natTraversal");

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
        int remotePort = type == ProxyType.TCPMUX ? 0 : s.port("remotePort", 0, true);
        List<String> domains = List.of();
        String subdomain = "";
        String httpUser = "";
        String httpPassword = "";
        String routeUser = "";
        if (type == ProxyType.TCPMUX) {
            s.oneOf("multiplexer", "httpconnect", List.of("httpconnect"));
            domains = s.strings("customDomains");
            subdomain = s.string("subdomain", "");
            httpUser = s.string("httpUser", "");
            httpPassword = s.string("httpPassword", "");
            routeUser = s.string("routeByHTTPUser", "");
            if (domains.isEmpty() && subdomain.isEmpty()) {
                s.problem("customDomains", null, "missing (expected: customDomains or subdomain: the names users CONNECT to)");
            }
        } else {
            for (String key : List.of("customDomains", "subdomain", "multiplexer", "httpUser", "httpPassword",
                    "routeByHTTPUser")) {
                s.unsupported(key, "");
            }
        }
        boolean enabled = s.bool("enabled", true);
        for (String key : PER_PROXY_LATER) {
            s.unsupported(key, "");
        }
        for (String table : PER_PROXY_TABLES_LATER) {
            s.unsupportedUnder(table, "");
        }
        Map<String, String> annotations = s.stringsUnder("annotations");
        String proxyProtocol = s.string("transport.proxyProtocolVersion", "");
        if (!proxyProtocol.isEmpty() && !(proxyProtocol.equals("v1") && type != ProxyType.UDP) && !proxyProtocol.equals("v2")) {
            s.problem("transport.proxyProtocolVersion", s.node("transport.proxyProtocolVersion"), "\"" + proxyProtocol
                    + "\" (expected: " + (type == ProxyType.UDP ? "v2: PROXY protocol v1 has no UDP form" : "v1 or v2") + ")");
        }
        Map<String, String> metadatas = s.stringsUnder("metadatas");
        s.noEffect("transport.useEncryption", "the whole tunnel is encrypted by TLS already");
        s.noEffect("transport.useCompression", "jfrp does not compress; TLS carries the bytes as they are");
        s.finish();
        if (!enabled) {
            return null;
        }
        ProxyLabels labels = new ProxyLabels(annotations, metadatas);
        if (type == ProxyType.TCPMUX) {
            return new TcpmuxProxyConfig(name, localIP, localPort, domains, subdomain, labels, proxyProtocol, httpUser,
                    httpPassword, routeUser);
        }
        return type == ProxyType.UDP
                ? new UdpProxyConfig(name, localIP, localPort, remotePort, udpPacketSize, labels, proxyProtocol)
                : new TcpProxyConfig(name, localIP, localPort, remotePort, labels, proxyProtocol);
    }
}
