package io.jfrp.core.config;

import java.util.List;
import java.util.Map;

/** Reads one [[proxies]] table into the {@link ProxyConfig} of its type, with every problem named. */
final class ProxyConfigReader {

    private ProxyConfigReader() {
    }

    private static final String SERVED = String.join(", ", java.util.Arrays.stream(ProxyType.values())
            .filter(ProxyType::served).map(ProxyType::configName).toList());

    private static final List<String> PER_PROXY_LATER = List.of("secretKey", "allowUsers");
    /** frp's per-proxy tables jfrp does not act on yet: each key under them is named as such. */
    private static final List<String> PER_PROXY_TABLES_LATER = List.of("natTraversal");

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
        PluginConfig plugin = PluginConfig.read(s, type);
        String localIP = s.string("localIP", "127.0.0.1");
        // With a plugin, the plugin is the local end: frp's plugin proxies set no localPort.
        int localPort = plugin != null || s.sets("plugin") ? s.port("localPort", 0, true) : s.requiredPort("localPort");
        boolean byName = type != null && type.routedByName();
        int remotePort = byName ? 0 : s.port("remotePort", 0, true);
        DomainRouting routing = byName ? routing(s, type) : null;
        String hostRewrite = "";
        Map<String, String> requestHeaders = Map.of();
        Map<String, String> responseHeaders = Map.of();
        if (type == ProxyType.HTTP) {
            hostRewrite = s.string("hostHeaderRewrite", "");
            requestHeaders = headers(s, "requestHeaders.set");
            responseHeaders = headers(s, "responseHeaders.set");
        } else {
            s.unsupported("hostHeaderRewrite", "only http proxies edit requests");
            s.unsupportedUnder("requestHeaders", "only http proxies edit requests");
            s.unsupportedUnder("responseHeaders", "only http proxies edit responses");
        }
        if (!byName) {
            for (String key : List.of("customDomains", "subdomain", "multiplexer", "httpUser", "httpPassword",
                    "routeByHTTPUser", "locations")) {
                s.unsupported(key, "only http, https and tcpmux proxies are routed by name");
            }
        }
        boolean enabled = s.bool("enabled", true);
        for (String key : PER_PROXY_LATER) {
            s.unsupported(key, "");
        }
        for (String table : PER_PROXY_TABLES_LATER) {
            s.unsupportedUnder(table, "");
        }
        ProxyBalancing balancing = ProxyBalancingReader.read(s, type, plugin != null);
        ProxyBandwidth bandwidth = ProxyBandwidth.read(s, type);
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
            return new TcpmuxProxyConfig(name, localIP, localPort, routing, labels, proxyProtocol, plugin, balancing, bandwidth);
        }
        if (type == ProxyType.HTTPS) {
            return new HttpsProxyConfig(name, localIP, localPort, routing, labels, proxyProtocol, plugin, balancing, bandwidth);
        }
        if (type == ProxyType.HTTP) {
            return new HttpProxyConfig(name, localIP, localPort, routing, hostRewrite, requestHeaders, responseHeaders,
                    labels, proxyProtocol, plugin, balancing, bandwidth);
        }
        return type == ProxyType.UDP
                ? new UdpProxyConfig(name, localIP, localPort, remotePort, udpPacketSize, labels, proxyProtocol, balancing, bandwidth)
                : new TcpProxyConfig(name, localIP, localPort, remotePort, labels, proxyProtocol, plugin, balancing, bandwidth);
    }

    /** The names a tcpmux or http proxy answers to; one of customDomains and subdomain is needed. */
    private static DomainRouting routing(ConfigSection s, ProxyType type) {
        if (type == ProxyType.TCPMUX) {
            s.oneOf("multiplexer", "httpconnect", List.of("httpconnect"));
        } else {
            s.unsupported("multiplexer", "only tcpmux proxies have one");
        }
        List<String> domains = s.strings("customDomains");
        String subdomain = s.string("subdomain", "");
        if (domains.isEmpty() && subdomain.isEmpty()) {
            s.problem("customDomains", null, "missing (expected: customDomains or subdomain: the names users "
                    + (type == ProxyType.TCPMUX ? "CONNECT to" : type == ProxyType.HTTPS ? "name in TLS" : "reach it by") + ")");
        }
        if (subdomain.contains(".")) {
            s.problem("subdomain", s.node("subdomain"), "\"" + subdomain + "\" (expected: one label, no dots: the server "
                    + "puts it under its subDomainHost)");
        }
        List<String> locations = List.of();
        if (type == ProxyType.HTTP) {
            locations = s.strings("locations");
            for (String l : locations) {
                if (!l.startsWith("/")) {
                    s.problem("locations", s.node("locations"), "\"" + l + "\" (expected: paths that start with /)");
                }
            }
        } else {
            s.unsupported("locations", "only http proxies route by path");
        }
        if (type == ProxyType.HTTPS) {
            // The server sees only the TLS ClientHello's name: no path, no credentials, no HTTP user.
            for (String key : List.of("httpUser", "httpPassword", "routeByHTTPUser")) {
                s.unsupported(key, "an https proxy is routed by the TLS server name alone; the service checks users");
            }
            return new DomainRouting(domains, subdomain, locations, "", "", "");
        }
        return new DomainRouting(domains, subdomain, locations, s.string("httpUser", ""), s.string("httpPassword", ""),
                s.string("routeByHTTPUser", ""));
    }

    /** Whether {@code name} is an HTTP header name (a token, RFC 9110). */
    static boolean isHeaderName(String name) {
        return name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    }

    /** {@code requestHeaders.set.NAME = "value"}: header names checked as HTTP's tokens, values without line breaks. */
    private static Map<String, String> headers(ConfigSection s, String table) {
        Map<String, String> out = s.stringsUnder(table);
        for (Map.Entry<String, String> e : out.entrySet()) {
            if (!isHeaderName(e.getKey())) {
                s.problem(table + "." + e.getKey(), s.node(table + "." + e.getKey()), "is not an HTTP header name");
            } else if (e.getValue().indexOf('\r') >= 0 || e.getValue().indexOf('\n') >= 0) {
                s.problem(table + "." + e.getKey(), s.node(table + "." + e.getKey()), "a header value cannot hold a line break");
            }
        }
        return out;
    }
}
