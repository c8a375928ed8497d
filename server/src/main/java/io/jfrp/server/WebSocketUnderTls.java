package io.jfrp.server;

import io.jfrp.core.transport.WebSocketTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Behind the bind port's TLS: a client whose transport is {@code wss} sends its WebSocket upgrade inside
 * the TLS, where a {@code tcp} client sends the session's preface. frps takes wss only behind a reverse
 * proxy that ends the TLS; jfrps takes it directly as well.
 */
final class WebSocketUnderTls extends ByteToMessageDecoder {

    static final String NAME = "wss-sniff";

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        WebSocketTransport.Sniff ws = WebSocketTransport.sniff(in);
        if (ws == WebSocketTransport.Sniff.MORE) {
            return;
        }
        if (ws == WebSocketTransport.Sniff.YES) {
            WebSocketTransport.acceptOn(ctx.pipeline(), "outbound-limit");
        }
        // What this read holds goes on to the handlers after this one.
        ctx.pipeline().remove(this);
    }
}
