package io.jfrp.core.net;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How large one read of a session's channel may grow. A stream socket's reads stay at Netty's 64 KiB,
 * but the tunnel carries every stream of a client: reads of up to 1 MiB take several TLS records at a
 * time. On one TLS stream the receiving side spends 15-25% less CPU per byte and the stream runs ~15%
 * faster, in both directions (docs/performance.md).
 *
 * <p>Under io_uring every idle channel keeps a read buffer of its current size waiting in the kernel,
 * and the size shrinks only as small reads arrive. So the channels of one side share a budget: each new
 * channel may grow to budget / open channels, never below 64 KiB nor above 1 MiB. A server with a few
 * dozen clients gets the full size, one with thousands 64 KiB.
 */
public final class TunnelReads {

    static final int FLOOR = 64 * 1024;
    static final int CEILING = 1024 * 1024;

    private final long budget;
    private final AtomicInteger open = new AtomicInteger();

    private TunnelReads(long budget) {
        this.budget = budget;
    }

    /** @param budgetBytes what all of this side's session channels' waiting reads may hold together */
    public static TunnelReads sharing(long budgetBytes) {
        return new TunnelReads(budgetBytes);
    }

    /** Sizes {@code ch}'s reads by the channels open now; call once, before the channel reads. */
    public void applyTo(Channel ch) {
        int max = maxReadFor(open.incrementAndGet());
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        ch.config().setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator(64, 2048, max));
    }

    int maxReadFor(int channels) {
        long share = budget / Math.max(1, channels);
        return (int) Math.max(FLOOR, Math.min(CEILING, share));
    }

    int open() {
        return open.get();
    }
}
