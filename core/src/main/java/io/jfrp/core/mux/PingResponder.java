package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Answers the peer's PINGs (its heartbeats, and the round-trip samples of its {@link MuxSession}), on
 * both sides. A PING that arrives while the channel is full is answered once it drains, and only the
 * newest: a peer that sends PINGs flat out and never reads the PONGs made the server queue every one
 * until its heap was gone.
 */
public final class PingResponder extends ChannelInboundHandlerAdapter {

    private Message.Pong owed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Message.Ping p)) {
            ctx.fireChannelRead(msg);
        } else if (ctx.channel().isWritable()) {
            ctx.writeAndFlush(new Message.Pong(p.sentNanos()), ctx.voidPromise());
        } else {
            owed = new Message.Pong(p.sentNanos());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (owed != null && ctx.channel().isWritable()) {
            ctx.writeAndFlush(owed, ctx.voidPromise());
            owed = null;
        }
        ctx.fireChannelWritabilityChanged();
    }
}
