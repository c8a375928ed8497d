package io.jfrp.core.transport;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;

import java.util.function.Consumer;

/**
 * Where a client goes and how: the server's address, the local address to leave from (empty: any), the
 * proxy to go through (null: none), and the TLS the session runs (null: none) with the name it asks
 * for. Each transport puts the TLS where it belongs: first among the session's handlers, or under the
 * WebSocket for {@code wss}.
 */
public record ServerRoute(String host, int port, int timeoutMillis, String localAddr, OutboundProxy proxy,
                          SslContext ssl, String serverName) {

    /** A route with no local address, proxy or TLS (tests, probes of a carrier alone). */
    public static ServerRoute plain(String host, int port, int timeoutMillis) {
        return new ServerRoute(host, port, timeoutMillis, "", null, null, "");
    }

    /** {@code host:port}, an IPv6 host in brackets. */
    public String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code host:port}, and the proxy when there is one, for messages. */
    public String describe() {
        return proxy == null ? hostPort() : hostPort() + " through " + proxy;
    }

    /** Adds the session's TLS client handler ("tls") at the pipeline's end, when the route has TLS. */
    void addTls(ChannelPipeline p) {
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(p.channel().alloc(), serverName.isEmpty() ? host : serverName, port));
        }
    }

    /** The session's handlers behind the route's TLS: what every transport but {@code wss} installs. */
    Consumer<ChannelPipeline> tlsThen(Consumer<ChannelPipeline> session) {
        return p -> {
            addTls(p);
            session.accept(p);
        };
    }
}
