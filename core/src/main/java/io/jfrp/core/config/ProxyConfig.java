package io.jfrp.core.config;

/**
 * One [[proxies]] entry: a local service exposed on the server. One record per {@link ProxyType} that
 * jfrp serves, so code that handles proxies is told by the compiler when a type is added.
 */
public sealed interface ProxyConfig permits TcpProxyConfig, UdpProxyConfig, TcpmuxProxyConfig, HttpProxyConfig,
        HttpsProxyConfig {

    String name();

    ProxyType type();

    /** The local service's host (a name is resolved off the event loop, at each dial). */
    String localIP();

    int localPort();

    /** The public port asked of the server; 0 lets the server choose (and types without a port of their own). */
    int remotePort();

    /** frp's annotations and metadatas: kept and shown, acted on by nothing. */
    ProxyLabels labels();

    /**
     * frp's {@code transport.proxyProtocolVersion}: "" (none), "v1" or "v2". The local service then gets a
     * PROXY protocol header with the user's real address before the first byte (each datagram for UDP).
     */
    String proxyProtocol();

    /** frp's {@code loadBalancer} and {@code healthCheck}: {@link ProxyBalancing#NONE} for neither. */
    ProxyBalancing balancing();

    /** frp's {@code transport.bandwidthLimit}: {@link ProxyBandwidth#NONE} for none. */
    ProxyBandwidth bandwidth();

    /** frp's {@code [proxies.plugin]}: what ends the proxy's streams instead of localIP:localPort; null for none. */
    default PluginConfig plugin() {
        return null;
    }
}
