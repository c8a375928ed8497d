package io.jfrp.server;

import io.jfrp.core.mux.StreamRelay;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;

/**
 * A TCP proxy's public port. Each accepted user connection lands on the session's event loop with
 * auto-read off and is handed to the session, which opens a stream for it (or holds it while the
 * client is away); it is read only once the client has reached its local service.
 */
final class ProxyListener {

    final String name;
    private final Channel channel;
    private final int port;

    private ProxyListener(String name, Channel channel) {
        this.name = name;
        this.channel = channel;
        this.port = ((InetSocketAddress) channel.localAddress()).getPort();
    }

    static ChannelFuture bind(ServerRuntime rt, ClientSession session, String proxyName, String addr, int port) {
        return rt.transport.serverBootstrap(session.loop, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel user) {
                        user.pipeline().addLast("relay", new StreamRelay());
                        session.userConnected(user, proxyName);
                    }
                })
                .bind(addr, port);
    }

    static ProxyListener of(String name, Channel bound) {
        return new ProxyListener(name, bound);
    }

    int port() {
        return port;
    }

    ChannelFuture close() {
        return channel.close();
    }
}
