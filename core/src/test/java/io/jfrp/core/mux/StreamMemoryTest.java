package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.Outbound;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a stream may hold for a local socket that does not take its bytes: counted with the cost of
 * every queued write, merged when the frames are tiny, bounded per session and per process, and a
 * stream that ends because its far end broke resets its local socket.
 */
@ExtendWith(LeakCheck.class)
class StreamMemoryTest {

    /** A local socket whose reader never reads: it takes writes and completes none until it is closed. */
    static final class NeverReads extends ChannelOutboundHandlerAdapter {
        final List<Object> kept = new ArrayList<>();
        final List<ChannelPromise> promises = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            kept.add(msg);
            promises.add(promise);
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            kept.forEach(ReferenceCountUtil::release);
            kept.clear();
            promises.forEach(p -> p.tryFailure(new ClosedChannelException()));
            promises.clear();
            ctx.close(promise);
        }

        long bytes() {
            return kept.stream().mapToLong(o -> ((ByteBuf) o).readableBytes()).sum();
        }
    }

    private final Map<Integer, EmbeddedChannel> locals = new HashMap<>();
    private final Map<Integer, NeverReads> stalled = new HashMap<>();

    private EmbeddedChannel acceptor(MemoryBudget budget) {
        return MuxChannels.carrying(false, Wire.INITIAL_WINDOW, Wire.MAX_WINDOW, budget,
                new MuxSession.StreamListener() {
                    @Override
                    public void onStreamOpen(MuxSession session, Message.StreamOpen open) {
                        NeverReads never = new NeverReads();
                        // A proxy named "reads" gets an ordinary local socket, whose writes complete.
                        EmbeddedChannel local = open.proxyName().equals("reads") ? new EmbeddedChannel()
                                : new EmbeddedChannel(never);
                        locals.put(open.streamId(), local);
                        stalled.put(open.streamId(), never);
                        session.acceptStream(open, local);
                    }
                });
    }

    private static MuxSession mux(EmbeddedChannel ch) {
        return MuxChannels.mux(ch);
    }

    private static void open(EmbeddedChannel ch, int id) {
        ch.writeInbound(new Message.StreamOpen(id, "p", "user-" + id));
        Outbound.take(ch).forEach(ReferenceCountUtil::release);
    }

    private static Object[] frames(int id, int count, int size) {
        Object[] f = new Object[count];
        for (int i = 0; i < count; i++) {
            f[i] = new Message.Data(id, Unpooled.directBuffer(size).writeZero(size));
        }
        return f;
    }

    @Test
    void tinyFramesForAReaderThatNeverReadsAreMergedAndCountedWithWhatEachWriteCosts() {
        MemoryBudget budget = new MemoryBudget(64L << 20, 64L << 20);
        EmbeddedChannel ch = acceptor(budget);
        open(ch, 1);
        // 64 Ki 1-byte frames, arriving in reads of 1,024 frames each.
        int total = 64 * 1024;
        for (int batch = 0; batch < total / 1024; batch++) {
            ch.writeInbound(frames(1, 1024, 1));
        }
        List<Object> out = Outbound.take(ch);
        assertThat(out).noneMatch(o -> o instanceof Message.Reset);
        out.forEach(ReferenceCountUtil::release);

        NeverReads never = stalled.get(1);
        assertThat(never.bytes()).isEqualTo(total);
        // One write per read of the channel, not one per frame (65,536 writes before).
        assertThat(never.kept).hasSizeLessThanOrEqualTo(total / 1024);
        long expected = total + (long) never.kept.size() * PeerBytes.WRITE_OVERHEAD;
        assertThat(mux(ch).memory().held()).isEqualTo(expected);
        assertThat(budget.used()).isEqualTo(expected);

        ch.finishAndReleaseAll();
        // The channel is gone: the stream is aborted and what it held is released, to the byte.
        assertThat(budget.used()).isZero();
        assertThat(locals.get(1).isOpen()).isFalse();
    }

    @Test
    void pastTheSessionLimitTheStreamHoldingTheMostIsResetAndTheOthersGoOn() {
        long limit = 1L << 20;
        MemoryBudget budget = new MemoryBudget(64L << 20, limit);
        EmbeddedChannel ch = acceptor(budget);
        for (int id = 2; id <= 16; id += 2) {
            open(ch, id);
        }
        // Eight stalled readers, each sent its whole initial window: 2 MiB for a 1 MiB session.
        List<Integer> reset = new ArrayList<>();
        for (int id = 2; id <= 16; id += 2) {
            ch.writeInbound(frames(id, Wire.INITIAL_WINDOW / Wire.MAX_DATA_CHUNK, Wire.MAX_DATA_CHUNK));
            for (Object o : Outbound.take(ch)) {
                if (o instanceof Message.Reset r) {
                    reset.add(r.streamId());
                    assertThat(r.reason()).contains("memory limit");
                }
                ReferenceCountUtil.release(o);
            }
            assertThat(mux(ch).memory().held()).isLessThanOrEqualTo(limit);
        }
        assertThat(reset).hasSizeBetween(4, 5);
        for (int id : reset) {
            assertThat(locals.get(id).isOpen()).as("stream %d's local socket", id).isFalse();
        }
        assertThat(budget.used()).isEqualTo(mux(ch).memory().held()).isLessThanOrEqualTo(limit);
        // A stream that was not reset still takes data once its reader reads.
        int survivor = 16;
        while (reset.contains(survivor)) {
            survivor -= 2;
        }
        assertThat(locals.get(survivor).isOpen()).isTrue();
        ch.finishAndReleaseAll();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aNewStreamWhoseReaderReadsWorksWhileStalledOnesFillTheSession() {
        long limit = 1L << 20;
        EmbeddedChannel ch = acceptor(new MemoryBudget(64L << 20, limit));
        for (int id = 2; id <= 8; id += 2) {
            open(ch, id);
            ch.writeInbound(frames(id, Wire.INITIAL_WINDOW / Wire.MAX_DATA_CHUNK, Wire.MAX_DATA_CHUNK));
            Outbound.take(ch).forEach(ReferenceCountUtil::release);
        }
        assertThat(mux(ch).memory().held()).isGreaterThan(limit * 3 / 4);

        ch.writeInbound(new Message.StreamOpen(100, "reads", "good-user"));
        long credit = Wire.INITIAL_WINDOW;
        long delivered = 0;
        EmbeddedChannel reader = locals.get(100);
        // Twice the session's limit through the new stream, as its credit allows.
        while (delivered < 2 * limit) {
            int n = (int) (credit / Wire.MAX_DATA_CHUNK);
            ch.writeInbound(frames(100, n, Wire.MAX_DATA_CHUNK));
            credit -= (long) n * Wire.MAX_DATA_CHUNK;
            for (Object o : Outbound.take(ch)) {
                assertThat(o).isNotInstanceOf(Message.StreamOpenFail.class);
                if (o instanceof Message.Reset r) {
                    assertThat(r.streamId()).as("a stream reset for memory").isNotEqualTo(100);
                }
                if (o instanceof Message.WindowUpdate w && w.streamId() == 100) {
                    credit += w.increment();
                }
                ReferenceCountUtil.release(o);
            }
            Object o;
            while ((o = reader.readOutbound()) != null) {
                delivered += ((ByteBuf) o).readableBytes();
                ReferenceCountUtil.release(o);
            }
            ch.runPendingTasks();
        }
        assertThat(reader.isOpen()).isTrue();
        ch.finishAndReleaseAll();
        reader.finishAndReleaseAll();
    }

    @Test
    void aResetFromThePeerAbortsTheLocalSocketAndDropsWhatItHeld() {
        MemoryBudget budget = new MemoryBudget(64L << 20, 64L << 20);
        EmbeddedChannel ch = acceptor(budget);
        open(ch, 2);
        ch.writeInbound(frames(2, 2, 1000));
        Outbound.take(ch).forEach(ReferenceCountUtil::release);
        assertThat(budget.used()).isPositive();

        ch.writeInbound(new Message.Reset(2, "connection reset"));
        ch.runPendingTasks();
        assertThat(locals.get(2).isOpen()).isFalse();
        assertThat(budget.used()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void aCleanEndStillCountsWhatTheReaderHasNotTakenUntilItIsTaken() {
        MemoryBudget budget = new MemoryBudget(64L << 20, 64L << 20);
        EmbeddedChannel ch = acceptor(budget);
        open(ch, 2);
        ch.writeInbound(frames(2, 1, 4000));
        ch.writeInbound(new Message.Fin(2));
        Outbound.take(ch).forEach(ReferenceCountUtil::release);
        // The peer is done, but the bytes are still the reader's to take.
        assertThat(budget.used()).isEqualTo(4000 + PeerBytes.WRITE_OVERHEAD);
        assertThat(locals.get(2).isOpen()).isTrue();
        ch.finishAndReleaseAll();
        assertThat(budget.used()).isZero();
    }
}
