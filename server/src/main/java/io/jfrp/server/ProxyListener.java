package io.jfrp.server;

import io.jfrp.core.mux.MuxSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;

/**
 * A TCP proxy's public port. Each accepted user connection lands on the session's event loop with
 * auto-read off and becomes a stream; it is read only once the client has reached its local service.
 */
final class ProxyListener {

    final String name;
    private final Channel channel;

    private ProxyListener(String name, Channel channel) {
        this.name = name;
        this.channel = channel;
    }

    static ChannelFuture bind(ServerRuntime rt, MuxSession mux, String proxyName, String addr, int port) {
        long openTimeout = rt.config.userConnTimeout().toMillis();
        return rt.transport.serverBootstrap(mux.eventLoop(), false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel user) {
                        mux.openStream(user, proxyName, openTimeout);
                    }
                })
                .bind(addr, port);
    }

    static ProxyListener of(String name, Channel bound) {
        return new ProxyListener(name, bound);
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    ChannelFuture close() {
        return channel.close();
    }
}
