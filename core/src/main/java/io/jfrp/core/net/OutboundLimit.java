package io.jfrp.core.net;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Closes a channel whose peer stops reading what it provoked. A peer that floods PINGs (or anything
 * else that is answered) and never reads the answers would otherwise make this side queue them
 * until the heap is gone, taking every other tunnel of the process with it. Stream data is never the
 * cause: streams stop writing when the channel is not writable, so an honest peer keeps the queue
 * near the write buffer's high-water mark; {@code limitBytes} is far above that.
 * <p>
 * Netty counts each queued write as its bytes plus a fixed per-entry overhead, so a flood of tiny
 * frames reaches the limit as surely as a few large ones. On the limit it fires {@link Exceeded}
 * (the handler that knows the peer logs it, once) and closes the channel.
 */
public final class OutboundLimit extends ChannelDuplexHandler {

    /** Fired inbound once, just before the channel is closed. */
    public record Exceeded(long queuedBytes, long limitBytes) {
    }

    /**
     * What a control channel's peer may leave unread: 8x the channel's high-water mark, which an honest
     * peer's queue stays near (streams stop writing at the mark).
     */
    public static final long CONTROL_CHANNEL_BYTES = 8L * 1024 * 1024;

    private final long limitBytes;
    private boolean exceeded;

    public OutboundLimit(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        if (!exceeded && !ctx.channel().isWritable()) {
            // What is queued beyond the low-water mark, plus the mark itself: the whole queue.
            long queued = ctx.channel().bytesBeforeWritable()
                    + ctx.channel().config().getWriteBufferLowWaterMark();
            if (queued > limitBytes) {
                exceeded = true;
                ctx.fireUserEventTriggered(new Exceeded(queued, limitBytes));
                ctx.close();
            }
        }
    }
}
