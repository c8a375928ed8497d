package io.jfrp.client;

import io.jfrp.core.mux.ChannelCarrier;
import io.jfrp.core.mux.MuxSession;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.Message;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Moving a session back to a better channel without breaking its streams (make before break): the
 * better channel is dialled while the session runs on, and logs in asking to join it
 * (Wire.FEATURE_JOIN); then the channel it leaves is retired: it carries the streams it had until they
 * end, at most {@link #DRAIN_LIMIT}, and is closed with a goodbye. Only the move is this class's job;
 * {@link ControlLoop} dials and decides. Runs on the client's loop.
 */
final class ChannelHandover {

    private static final Logger log = LoggerFactory.getLogger(ChannelHandover.class);
    /**
     * How long a retired channel may keep carrying streams: a long download goes on over the backup link
     * it began on, but a link the session left (perhaps a metered one) is not kept open for ever.
     */
    static final Duration DRAIN_LIMIT = Duration.ofMinutes(10);

    private final EventLoop loop;
    private final MuxSession mux;
    private final ChannelHealth health;
    private final Duration drainLimit;
    /** The channel dialled to join the session; null when no move is under way. */
    private Channel joining;
    /** The index of the channel the move began from, to return to if the join fails. */
    private int fromIndex = -1;
    private Channel retired;
    private int retiredIndex;
    private String retiredName;
    private ScheduledFuture<?> limit;

    ChannelHandover(EventLoop loop, MuxSession mux, ChannelHealth health, Duration drainLimit) {
        this.loop = loop;
        this.mux = mux;
        this.health = health;
        this.drainLimit = drainLimit;
    }

    /** A move from channel {@code from} (by index) begins; its dial is under way. */
    void begin(int from) {
        fromIndex = from;
    }

    boolean underWay() {
        return fromIndex >= 0;
    }

    int fromIndex() {
        return fromIndex;
    }

    /** The move's dial connected: {@code ch} logs in next. */
    void dialled(Channel ch) {
        joining = ch;
    }

    boolean isJoining(Channel ch) {
        return ch != null && ch == joining;
    }

    /** The move ended, done or not. */
    void ended() {
        joining = null;
        fromIndex = -1;
    }

    /**
     * The session is on the new channel: {@code old} (channel {@code index}, named {@code name}) carries
     * the streams it has until they end, then is closed. {@code index} is -1 when the session renewed
     * the channel it is on (new settings): its health is the new connection's.
     */
    void retire(Channel old, int index, String name) {
        ChannelCarrier carrier = old.pipeline().get(ChannelCarrier.class);
        if (!old.isActive() || carrier == null) {
            return;
        }
        closeRetired("another move began"); // at most one channel drains
        retired = old;
        retiredIndex = index;
        retiredName = name;
        if (index >= 0) {
            health.draining(index);
        }
        limit = loop.schedule(() -> closeRetired("it still carried streams after " + drainLimit.toMinutes()
                + " min; they are reset"), drainLimit.toNanos(), TimeUnit.NANOSECONDS);
        mux.retire(carrier, () -> {
            if (retired == old) {
                closeRetired(null);
            }
        });
    }

    /** @param why why it closes before its streams ended; null: its last stream ended */
    private void closeRetired(String why) {
        Channel ch = retired;
        if (ch == null) {
            return;
        }
        forget(why);
        log.info("channel {} closed: {}", retiredName, why == null ? "its last stream ended" : why);
        ch.writeAndFlush(new Message.GoAway(ErrorCode.OK, "the session moved to another channel"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** @param why what status shows as the channel's last error; null for none */
    private void forget(String why) {
        if (retiredIndex >= 0) {
            health.drained(retiredIndex, why == null ? "" : why);
        }
        retired = null;
        if (limit != null) {
            limit.cancel(false);
            limit = null;
        }
    }

    /** @return true when {@code ch} was the retired channel (its end is no loss to the session) */
    boolean retiredClosed(Channel ch, String reason) {
        if (ch == null || ch != retired) {
            return false;
        }
        log.info("channel {} lost while it carried streams the session had before it moved: {}", retiredName, reason);
        int index = retiredIndex;
        forget(reason);
        if (index >= 0) {
            health.failed(index, reason);
        }
        return true;
    }

    /** The client stops: nothing drains any longer. */
    void stop() {
        closeRetired("the client stops");
        if (joining != null) {
            joining.close();
        }
        ended();
    }
}
