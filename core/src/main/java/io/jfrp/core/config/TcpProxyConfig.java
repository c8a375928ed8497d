package io.jfrp.core.config;

/** {@code type = "tcp"}: a public TCP port on the server, each connection a stream to the local service. */
public record TcpProxyConfig(String name, String localIP, int localPort, int remotePort) implements ProxyConfig {

    @Override
    public ProxyType type() {
        return ProxyType.TCP;
    }
}
