package io.jfrp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * The bind port when it is also the vhostHTTPPort or vhostHTTPSPort, as frp allows: the first byte tells
 * them apart. A client's starts with jfrp's magic ('J') or a TLS record (0x16); an HTTP request with the
 * capital letter of its method, which no HTTP method shares with the magic. A TLS ClientHello is an
 * HTTPS user's when its server name routes to an https proxy, and a client's otherwise. A user's
 * connection loses the control pipeline and becomes a vhost one; a client's keeps it.
 */
final class SharedBindPort extends ByteToMessageDecoder {

    private final ServerRuntime rt;

    SharedBindPort(ServerRuntime rt) {
        this.rt = rt;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        byte first = in.getByte(in.readerIndex());
        ChannelPipeline p = ctx.pipeline();
        boolean http = rt.config.vhost().vhostHTTPPort() == rt.config.bindPort();
        boolean https = rt.config.vhost().vhostHTTPSPort() == rt.config.bindPort();
        if (http && first >= 'A' && first <= 'Z' && first != 'J') {
            removeControl(p);
            VhostHttpPort.install(p, rt);
        } else if (https && first == 0x16) {
            // Decided by the server name: the control handlers stay until then, and go if it is a user's.
            p.addAfter(ctx.name(), "sni", new VhostHttpsPort.SniRouter(rt, true));
        }
        // What this read holds goes on to whichever pipeline stays.
        p.remove(this);
    }

    static void removeControl(ChannelPipeline p) {
        for (String control : List.of("tls", "outbound-limit", "decoder", "encoder", "login")) {
            if (p.get(control) != null) {
                p.remove(control);
            }
        }
    }
}
