package io.jfrp.core.config;

/** {@code type = "tcp"}: a public TCP port on the server, each connection a stream to the local service. */
public record TcpProxyConfig(String name, String localIP, int localPort, int remotePort, ProxyLabels labels)
        implements ProxyConfig {

    public TcpProxyConfig(String name, String localIP, int localPort, int remotePort) {
        this(name, localIP, localPort, remotePort, ProxyLabels.NONE);
    }

    @Override
    public ProxyType type() {
        return ProxyType.TCP;
    }
}
