package io.jfrp.core.config;

import java.util.Map;

/**
 * {@code type = "http"}: users reach the service through the server's {@code vhostHTTPPort}, each request
 * routed by its Host (and path, and HTTP user: {@link DomainRouting}) to this proxy; the client carries it
 * to the local service as it would a TCP connection. The server edits the request on the way:
 * {@code hostHeaderRewrite} replaces its Host, {@code requestHeaders.set.*} sets headers, and
 * {@code responseHeaders.set.*} sets headers of the answer.
 */
public record HttpProxyConfig(String name, String localIP, int localPort, DomainRouting routing,
                              String hostHeaderRewrite, Map<String, String> requestHeaders,
                              Map<String, String> responseHeaders, ProxyLabels labels,
                              String proxyProtocol, PluginConfig plugin,
                              ProxyBalancing balancing, ProxyBandwidth bandwidth) implements ProxyConfig {

    public HttpProxyConfig(String name, String localIP, int localPort, DomainRouting routing,
                           String hostHeaderRewrite, Map<String, String> requestHeaders,
                           Map<String, String> responseHeaders, ProxyLabels labels, String proxyProtocol,
                           PluginConfig plugin, ProxyBalancing balancing) {
        this(name, localIP, localPort, routing, hostHeaderRewrite, requestHeaders, responseHeaders, labels, proxyProtocol,
                plugin, balancing, ProxyBandwidth.NONE);
    }

    public HttpProxyConfig(String name, String localIP, int localPort, DomainRouting routing,
                           String hostHeaderRewrite, Map<String, String> requestHeaders,
                           Map<String, String> responseHeaders, ProxyLabels labels, String proxyProtocol,
                           PluginConfig plugin) {
        this(name, localIP, localPort, routing, hostHeaderRewrite, requestHeaders, responseHeaders, labels, proxyProtocol,
                plugin, ProxyBalancing.NONE);
    }

    public HttpProxyConfig(String name, String localIP, int localPort, DomainRouting routing,
                           String hostHeaderRewrite, Map<String, String> requestHeaders,
                           Map<String, String> responseHeaders, ProxyLabels labels, String proxyProtocol) {
        this(name, localIP, localPort, routing, hostHeaderRewrite, requestHeaders, responseHeaders, labels, proxyProtocol,
                null);
    }

    public HttpProxyConfig {
        requestHeaders = Map.copyOf(requestHeaders);
        responseHeaders = Map.copyOf(responseHeaders);
    }

    public HttpProxyConfig(String name, String localIP, int localPort, DomainRouting routing) {
        this(name, localIP, localPort, routing, "", Map.of(), Map.of(), ProxyLabels.NONE, "");
    }

    @Override
    public ProxyType type() {
        return ProxyType.HTTP;
    }

    @Override
    public int remotePort() {
        return 0;
    }
}
