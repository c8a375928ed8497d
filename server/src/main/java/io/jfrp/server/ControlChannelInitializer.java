package io.jfrp.server;

import io.jfrp.core.net.OutboundLimit;
import io.jfrp.protocol.FrameDecoder;
import io.jfrp.protocol.FrameEncoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.OptionalSslHandler;

/**
 * The pipeline of an accepted control channel. TLS and plain share the bind port, as in frp: the first
 * byte tells them apart, unless transport.tls.force refuses plain channels (with a reason). Before
 * them, {@link SharedBindPort} tells a client's connection from a WebSocket upgrade and a vhost user's.
 */
final class ControlChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final ServerRuntime rt;

    ControlChannelInitializer(ServerRuntime rt) {
        this.rt = rt;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast("shared", new SharedBindPort(rt));
        install(ch.pipeline(), rt);
    }

    /** The control handlers, the same on every carrier (a TCP connection, a WebSocket, a QUIC stream). */
    static void install(ChannelPipeline p, ServerRuntime rt) {
        if (rt.config.tls().force()) {
            p.addLast("tls", new TlsOnlyHandler(rt.ssl));
        } else {
            p.addLast("tls", new OptionalSslHandler(rt.ssl));
        }
        p.addLast("outbound-limit", new OutboundLimit(OutboundLimit.CONTROL_CHANNEL_BYTES));
        p.addLast("decoder", new FrameDecoder());
        p.addLast("encoder", FrameEncoder.INSTANCE);
        p.addLast("login", new LoginHandler(rt));
    }
}
