package io.jfrp.core.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * On a listener, before Netty's acceptor: when accepting fails (the process is out of file descriptors,
 * the kernel out of memory), accepting pauses and resumes after a wait that doubles with each failure
 * in a row ({@link #FIRST_PAUSE_MILLIS} to {@link #MAX_PAUSE_MILLIS}), instead of Netty's fixed second,
 * and the failure is not passed on (Netty would log each one). What is logged is {@link AcceptFailureLog}'s
 * one line for the whole process, then its summaries: with 400 ports out of descriptors at once that is
 * still one line, not 400 a second.
 */
final class AcceptBackoff extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AcceptBackoff.class);
    static final long FIRST_PAUSE_MILLIS = 50;
    static final long MAX_PAUSE_MILLIS = 2_000;

    private final AcceptFailureLog failures;
    private long pauseMillis;
    /** This listener failed, and the log has not said yet that accepting works again. */
    private boolean telling;

    AcceptBackoff(AcceptFailureLog failures) {
        this.failures = failures;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object child) {
        pauseMillis = 0;
        if (telling) {
            telling = failures.accepted();
        }
        ctx.fireChannelRead(child);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failures.closed(ctx.channel().localAddress());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(ctx.channel() instanceof ServerChannel)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        pauseMillis = pauseMillis == 0 ? FIRST_PAUSE_MILLIS : Math.min(MAX_PAUSE_MILLIS, pauseMillis * 2);
        telling = true;
        failures.failed(ctx.channel().localAddress(), cause, pauseMillis);
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> {
                if (ctx.channel().isOpen()) {
                    ctx.channel().config().setAutoRead(true);
                }
            }, pauseMillis, TimeUnit.MILLISECONDS);
        }
    }
}
