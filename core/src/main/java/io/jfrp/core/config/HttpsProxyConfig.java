package io.jfrp.core.config;

/**
 * {@code type = "https"}: users reach the service through the server's {@code vhostHTTPSPort}; the server
 * reads only the server name of each connection's TLS ClientHello ({@link DomainRouting}: customDomains,
 * or subdomain under subDomainHost) and passes the connection, still encrypted, to this proxy: the local
 * service holds the certificate and ends the TLS. It has no port of its own.
 */
public record HttpsProxyConfig(String name, String localIP, int localPort, DomainRouting routing, ProxyLabels labels,
                               String proxyProtocol, PluginConfig plugin,
                               ProxyBalancing balancing, ProxyBandwidth bandwidth) implements ProxyConfig {

    public HttpsProxyConfig(String name, String localIP, int localPort, DomainRouting routing, ProxyLabels labels,
                            String proxyProtocol, PluginConfig plugin, ProxyBalancing balancing) {
        this(name, localIP, localPort, routing, labels, proxyProtocol, plugin, balancing, ProxyBandwidth.NONE);
    }

    public HttpsProxyConfig(String name, String localIP, int localPort, DomainRouting routing, ProxyLabels labels,
                            String proxyProtocol, PluginConfig plugin) {
        this(name, localIP, localPort, routing, labels, proxyProtocol, plugin, ProxyBalancing.NONE);
    }

    public HttpsProxyConfig(String name, String localIP, int localPort, DomainRouting routing, ProxyLabels labels,
                            String proxyProtocol) {
        this(name, localIP, localPort, routing, labels, proxyProtocol, null);
    }

    public HttpsProxyConfig(String name, String localIP, int localPort, DomainRouting routing) {
        this(name, localIP, localPort, routing, ProxyLabels.NONE, "");
    }

    @Override
    public ProxyType type() {
        return ProxyType.HTTPS;
    }

    @Override
    public int remotePort() {
        return 0;
    }
}
