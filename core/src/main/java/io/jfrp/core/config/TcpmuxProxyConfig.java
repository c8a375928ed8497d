package io.jfrp.core.config;

import java.util.List;

/**
 * {@code type = "tcpmux"} with {@code multiplexer = "httpconnect"}: users reach the service through the
 * server's {@code tcpmuxHTTPConnectPort} with an HTTP CONNECT to one of its names ({@link DomainRouting}:
 * {@code customDomains}, or {@code subdomain} under the server's {@code subDomainHost}); after the CONNECT
 * the connection is a plain stream to the local service. It has no port of its own. {@code httpUser}/
 * {@code httpPassword}: the CONNECT must carry them (Proxy-Authorization); {@code routeByHTTPUser}: this
 * proxy takes the domain's CONNECTs from that user, another proxy of the same domain without it the rest.
 */
public record TcpmuxProxyConfig(String name, String localIP, int localPort, DomainRouting routing, ProxyLabels labels,
                                String proxyProtocol, PluginConfig plugin,
                                ProxyBalancing balancing, ProxyBandwidth bandwidth) implements ProxyConfig {

    public TcpmuxProxyConfig(String name, String localIP, int localPort, DomainRouting routing, ProxyLabels labels,
                             String proxyProtocol, PluginConfig plugin, ProxyBalancing balancing) {
        this(name, localIP, localPort, routing, labels, proxyProtocol, plugin, balancing, ProxyBandwidth.NONE);
    }

    public TcpmuxProxyConfig(String name, String localIP, int localPort, DomainRouting routing, ProxyLabels labels,
                             String proxyProtocol, PluginConfig plugin) {
        this(name, localIP, localPort, routing, labels, proxyProtocol, plugin, ProxyBalancing.NONE);
    }

    public TcpmuxProxyConfig(String name, String localIP, int localPort, DomainRouting routing, ProxyLabels labels,
                             String proxyProtocol) {
        this(name, localIP, localPort, routing, labels, proxyProtocol, null);
    }

    public TcpmuxProxyConfig(String name, String localIP, int localPort, List<String> customDomains, String subdomain,
                             ProxyLabels labels, String proxyProtocol) {
        this(name, localIP, localPort, DomainRouting.of(customDomains, subdomain), labels, proxyProtocol);
    }

    @Override
    public ProxyType type() {
        return ProxyType.TCPMUX;
    }

    @Override
    public int remotePort() {
        return 0;
    }
}
