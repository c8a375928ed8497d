package io.jfrp.server;

import io.jfrp.core.net.OutboundLimit;
import io.jfrp.protocol.FrameDecoder;
import io.jfrp.protocol.FrameEncoder;
import io.netty.channel.ChannelInitializer;
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
        if (rt.config.tls().force()) {
            ch.pipeline().addLast("tls", new TlsOnlyHandler(rt.ssl));
        } else {
            ch.pipeline().addLast("tls", new OptionalSslHandler(rt.ssl));
        }
        ch.pipeline().addLast("outbound-limit", new OutboundLimit(OutboundLimit.CONTROL_CHANNEL_BYTES));
        ch.pipeline().addLast("decoder", new FrameDecoder());
        ch.pipeline().addLast("encoder", FrameEncoder.INSTANCE);
        ch.pipeline().addLast("login", new LoginHandler(rt));
    }
}
