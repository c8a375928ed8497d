package io.jfrp.core.transport;

import io.jpower.kcp.netty.Kcp;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * KCP on a datagram channel connected to one peer: datagrams in and out below, an ordered byte stream
 * above, for the session's handlers. The ARQ itself is kcp-netty's {@link Kcp} (a port of ikcp.c); its
 * channels are NIO-only, and jfrp's sessions live on epoll loops beside their sockets, hence this
 * handler. Writes wait in a {@link PendingWriteQueue}, which counts toward the channel's writability,
 * until KCP's send window has room: a slow link pushes back as a TCP socket's would, instead of KCP's
 * queue growing without bound. The clock runs while anything is in flight or was just received (its
 * acknowledgement goes out on the next tick), and stops when the link is quiet.
 */
final class KcpCarrier extends ChannelDuplexHandler {

    /**
     * frp's (kcp-go) settings: MTU 1350, windows of 1,024 segments each way (1.3 MiB in flight: a 20 ms
     * link carries ~500 Mbit/s; 128 segments capped it at 40 Mbit/s in bench/run), no-delay mode, a
     * tick of 10-20 ms.
     */
    static final int MTU = 1350;
    private static final int SEND_WINDOW = 1024;
    private static final int RECEIVE_WINDOW = 1024;
    private static final int TICK_MILLIS = 10;

    private final InetSocketAddress peer;
    private final Kcp kcp;
    private final long epoch = System.nanoTime();
    private ChannelHandlerContext ctx;
    private PendingWriteQueue pending;
    private ScheduledFuture<?> tick;
    private boolean heard;
    private boolean released;

    /**
     * @param conv the conversation id (any, on a server: it takes the client's)
     */
    KcpCarrier(int conv, InetSocketAddress peer, boolean server) {
        this.peer = peer;
        this.kcp = new Kcp(conv, (data, k) -> ctx.write(new DatagramPacket(data, peer), ctx.voidPromise()));
        kcp.nodelay(true, TICK_MILLIS, 2, true);
        kcp.wndsize(SEND_WINDOW, RECEIVE_WINDOW);
        kcp.setMtu(MTU);
        kcp.setStream(true);
        kcp.setAutoSetConv(server);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.pending = new PendingWriteQueue(ctx);
        kcp.setByteBufAllocator(ctx.alloc());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (released || !(msg instanceof DatagramPacket p) || !peer.equals(p.sender())) {
            // Once released, the engine would still queue what it is given, and nothing would free it.
            ReferenceCountUtil.release(msg);
            return;
        }
        // KCP keeps a retained slice of each segment it holds (out of order, or not yet read). A datagram
        // is itself a slice of the read's 32 KiB recvmmsg buffer, so without this copy every held segment
        // would pin a whole one: a peer sending out of order could hold 512 x 32 KiB per session.
        ByteBuf segments = p.content().copy();
        p.release();
        int r;
        try {
            r = kcp.input(segments);
        } finally {
            segments.release();
        }
        if (r < 0) {
            // Not KCP, or another conversation: a stray or forged datagram costs only itself.
            return;
        }
        heard = true;
        while (kcp.canRecv()) {
            int size = kcp.peekSize();
            if (size <= 0) {
                break;
            }
            ByteBuf data = ctx.alloc().buffer(size);
            if (kcp.recv(data) < 0) {
                data.release();
                break;
            }
            ctx.fireChannelRead(data);
        }
        drain();
        clock();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf)) {
            ctx.write(msg, promise);
            return;
        }
        pending.add(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        drain();
        update();
        ctx.flush();
        clock();
    }

    /** Moves waiting writes into KCP while its send window has room. */
    private void drain() {
        while (!released && !pending.isEmpty() && kcp.waitSnd() < SEND_WINDOW * 2) {
            ByteBuf data = ((ByteBuf) pending.current()).retain();
            ChannelPromise done = pending.remove();
            try {
                kcp.send(data);
            } finally {
                data.release();
            }
            done.trySuccess();
        }
    }

    private void update() {
        if (released) {
            return;
        }
        kcp.update((int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - epoch));
    }

    private void clock() {
        if (tick == null && ctx.channel().isActive()) {
            tick = ctx.executor().schedule(this::onTick, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void onTick() {
        tick = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        update();
        drain();
        ctx.flush();
        if (kcp.getState() < 0) {
            ctx.fireExceptionCaught(new IOException("KCP gave up on " + peer + ": a segment was resent "
                    + kcp.getDeadLink() + " times without an acknowledgement"));
            ctx.close();
            return;
        }
        if (kcp.waitSnd() > 0 || !pending.isEmpty() || heard) {
            heard = false;
            clock();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
        if (pending != null && !pending.isEmpty()) {
            pending.removeAndFailAll(new ClosedChannelException());
        }
        if (!released) {
            released = true;
            kcp.release();
        }
    }
}
