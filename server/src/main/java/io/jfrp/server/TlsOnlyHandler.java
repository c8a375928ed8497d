package io.jfrp.server;

import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.FrameEncoder;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;

/**
 * transport.tls.force: TLS as usual, but a plain jfrp client is told why it is refused (a GOAWAY in
 * plain, then the close) instead of seeing its connection dropped during login with no reason.
 */
final class TlsOnlyHandler extends OptionalSslHandler {

    static final String REASON = "this server accepts only TLS (transport.tls.force = true on the server): "
            + "set transport.tls.enable = true on the client";

    TlsOnlyHandler(SslContext ssl) {
        super(ssl);
    }

    @Override
    protected ChannelHandler newNonSslHandler(ChannelHandlerContext context) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                ByteBuf out = ctx.alloc().buffer(128);
                FrameEncoder.encode(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR), out);
                FrameEncoder.encode(new Message.GoAway(ErrorCode.UNSUPPORTED, REASON), out);
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                ctx.pipeline().remove(this);
            }
        };
    }
}
