package io.jfrp.core.config;

import java.util.List;

/**
 * {@code type = "tcpmux"} with {@code multiplexer = "httpconnect"}: users reach the service through the
 * server's {@code tcpmuxHTTPConnectPort} with an HTTP CONNECT to one of its domains ({@code customDomains},
 * or {@code subdomain} under the server's {@code subDomainHost}); after the CONNECT the connection is a
 * plain stream to the local service. It has no port of its own. {@code httpUser}/{@code httpPassword}:
 * the CONNECT must carry them (Proxy-Authorization); {@code routeByHTTPUser}: this proxy takes the domain's
 * CONNECTs from that user, another proxy of the same domain without it takes the rest.
 */
public record TcpmuxProxyConfig(String name, String localIP, int localPort, List<String> customDomains,
                                String subdomain, ProxyLabels labels, String proxyProtocol, String httpUser,
                                String httpPassword, String routeByHTTPUser) implements ProxyConfig {

    public TcpmuxProxyConfig {
        customDomains = List.copyOf(customDomains);
    }

    public TcpmuxProxyConfig(String name, String localIP, int localPort, List<String> customDomains, String subdomain,
                             ProxyLabels labels, String proxyProtocol) {
        this(name, localIP, localPort, customDomains, subdomain, labels, proxyProtocol, "", "", "");
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
