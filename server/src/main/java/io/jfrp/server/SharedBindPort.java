package io.jfrp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * The bind port when it is also the vhostHTTPPort, as frp allows: the first byte tells them apart. A
 * client's starts with jfrp's magic ('J') or a TLS record (0x16); an HTTP request with the capital letter
 * of its method, which no HTTP method shares with the magic. An HTTP user's connection loses the control
 * pipeline and becomes a vhost one; a client's keeps it.
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
        if (first >= 'A' && first <= 'Z' && first != 'J') {
            for (String control : List.of("tls", "outbound-limit", "decoder", "encoder", "login")) {
                if (p.get(control) != null) {
                    p.remove(control);
                }
            }
            VhostHttpPort.install(p, rt);
        }
        // What this read holds goes on to whichever pipeline stays.
        p.remove(this);
    }
}
