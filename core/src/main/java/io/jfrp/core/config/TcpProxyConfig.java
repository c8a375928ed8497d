package io.jfrp.core.config;

/**
 * {@code type = "tcp"}: a public TCP port on the server, each connection a stream to the local service.
 * {@code proxyProtocol}: "" or frp's {@code transport.proxyProtocolVersion} ("v1", "v2").
 */
public record TcpProxyConfig(String name, String localIP, int localPort, int remotePort, ProxyLabels labels,
                             String proxyProtocol, PluginConfig plugin,
                             ProxyBalancing balancing, ProxyBandwidth bandwidth) implements ProxyConfig {

    public TcpProxyConfig(String name, String localIP, int localPort, int remotePort, ProxyLabels labels,
                          String proxyProtocol, PluginConfig plugin, ProxyBalancing balancing) {
        this(name, localIP, localPort, remotePort, labels, proxyProtocol, plugin, balancing, ProxyBandwidth.NONE);
    }

    public TcpProxyConfig(String name, String localIP, int localPort, int remotePort, ProxyLabels labels,
                          String proxyProtocol, PluginConfig plugin) {
        this(name, localIP, localPort, remotePort, labels, proxyProtocol, plugin, ProxyBalancing.NONE);
    }

    public TcpProxyConfig(String name, String localIP, int localPort, int remotePort, ProxyLabels labels,
                          String proxyProtocol) {
        this(name, localIP, localPort, remotePort, labels, proxyProtocol, null);
    }

    public TcpProxyConfig(String name, String localIP, int localPort, int remotePort, ProxyLabels labels) {
        this(name, localIP, localPort, remotePort, labels, "");
    }

    public TcpProxyConfig(String name, String localIP, int localPort, int remotePort) {
        this(name, localIP, localPort, remotePort, ProxyLabels.NONE);
    }

    @Override
    public ProxyType type() {
        return ProxyType.TCP;
    }
}
