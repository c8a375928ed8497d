package io.jfrp.client.plugin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Passes what one side of a plugin reads to the other side: bytes, or HTTP messages that the other side's
 * codec writes out again. The other side's writability paces this side's reads, so a slow reader on
 * either side holds the other back instead of filling memory; an end on one side ends the other once
 * what it was sent is written.
 */
final class Splice extends ChannelInboundHandlerAdapter {

    private final Channel peer;

    Splice(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!peer.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        peer.write(msg, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This side drained: the peer, held back while it could not be written, may read again.
        if (ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && peer instanceof DuplexChannel d && peer.isActive()) {
            // A half-close passes on as a half-close: the other direction may still carry an answer.
            peer.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(f -> d.shutdownOutput());
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a TLS failure on one side: the other side is closed with it, not left open.
        ctx.close();
    }
}
