package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.jfrp.testing.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The receiver's window: small for a new stream, grown while the local socket keeps up, never past the max. */
@ExtendWith(LeakCheck.class)
class StreamWindowTest {

    private static final int CHUNK = 64 * 1024;

    @Test
    void aStreamWhoseReaderKeepsUpGrowsItsWindowAndNeverPastTheMaximum() {
        EmbeddedChannel local = new EmbeddedChannel();
        // The water marks every local socket gets (NettyTransport), not Netty's 32/64 KiB defaults.
        local.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(256 * 1024, 1024 * 1024));
        EmbeddedChannel channel = streamOneInto(local);

        ByteBuf payload = Unpooled.directBuffer(CHUNK).writeZero(CHUNK);
        long credit = Wire.INITIAL_WINDOW;
        long largestCredit = credit;
        long delivered = 0;
        for (int round = 0; round < 200; round++) {
            // A well-behaved sender: as much as its credit allows, arriving as one read batch.
            java.util.List<Object> batch = new java.util.ArrayList<>();
            while (credit >= CHUNK) {
                batch.add(new Message.Data(1, payload.retainedSlice()));
                credit -= CHUNK;
            }
            channel.writeInbound(batch.toArray());
            Object o;
            while ((o = local.readOutbound()) != null) {
                delivered += ((ByteBuf) o).readableBytes();
                ReferenceCountUtil.release(o);
            }
            channel.runPendingTasks();
            while ((o = channel.readOutbound()) != null) {
                if (o instanceof Message.WindowUpdate w) {
                    credit += w.increment();
                }
                assertThat(o).isNotInstanceOf(Message.Reset.class);
                ReferenceCountUtil.release(o);
            }
            largestCredit = Math.max(largestCredit, credit);
        }
        assertThat(delivered).isGreaterThan(100L * CHUNK);
        // Each round arrives as one batch: past 4 MiB a batch overfills the local socket's 1 MiB queue, which
        // is a reader falling behind, so this loopback rule stops near there (round-trip samples grow it further).
        assertThat(largestCredit).isGreaterThan(2L << 20).isLessThanOrEqualTo(Wire.MAX_WINDOW);
        payload.release();
        channel.finishAndReleaseAll();
        local.finishAndReleaseAll();
    }

    @Test
    void aStreamWhoseReaderNeverTakesAnythingKeepsTheInitialWindow() {
        // A reader that stalls, not one that has gone (this test closed its socket once, which tested
        // the crediting of dropped bytes instead).
        EmbeddedChannel local = new EmbeddedChannel(new StreamMemoryTest.NeverReads());
        EmbeddedChannel channel = streamOneInto(local);
        ByteBuf payload = Unpooled.directBuffer(CHUNK).writeZero(CHUNK);
        for (int i = 0; i < Wire.INITIAL_WINDOW / CHUNK; i++) {
            channel.writeInbound(new Message.Data(1, payload.retainedSlice()));
        }
        channel.runPendingTasks();
        long granted = 0;
        Object o;
        while ((o = channel.readOutbound()) != null) {
            if (o instanceof Message.WindowUpdate w) {
                granted += w.increment();
            }
            ReferenceCountUtil.release(o);
        }
        // Nothing was taken, so nothing is granted: the peer stays within the initial window.
        assertThat(granted).isZero();
        payload.release();
        channel.finishAndReleaseAll();
        local.finishAndReleaseAll();
    }

    /**
     * Over a long link the data in flight is in the network, not queued here: the receiver returns credit
     * as fast as it arrives, so only a round-trip sample (a PING, and the bytes that arrive before its PONG)
     * can tell that the window limits the stream.
     */
    @Test
    void aStreamThatReceivesMostOfItsWindowInOneRoundTripGrowsIt() {
        assertThat(grantedAfterOneRoundTrip(new EmbeddedChannel())).isGreaterThan(Wire.INITIAL_WINDOW);
    }

    @Test
    void aStreamWhoseReaderHoldsItsBytesDoesNotGrowInOneRoundTrip() {
        assertThat(grantedAfterOneRoundTrip(new EmbeddedChannel(new StreamMemoryTest.NeverReads()))).isZero();
    }

    /**
     * The peer's channel was full and it answered only the newest PING it owed, a heartbeat's: the sample
     * whose PONG never comes is dropped when the later PONG arrives, and data starts a new one (before, it
     * waited for ever, and no window of the session grew again: 0.23 of TCP's throughput at 50 ms RTT).
     */
    @Test
    void aSampleWhosePongWasNeverSentGivesWayToTheNext() {
        EmbeddedChannel local = new EmbeddedChannel();
        EmbeddedChannel channel = streamOneInto(local);
        channel.writeInbound(new Message.Data(1, Unpooled.directBuffer(CHUNK).writeZero(CHUNK)));
        channel.runPendingTasks();
        long first = pingIn(channel, local);
        assertThat(first).as("data starts a sample").isNotEqualTo(-1);

        channel.writeInbound(new Message.Pong(first + 1)); // a later PING's answer; the sample's never comes
        long[] next = {-1};
        await().pollInSameThread().atMost(Duration.ofSeconds(5)).until(() -> {
            channel.writeInbound(new Message.Data(1, Unpooled.directBuffer(CHUNK).writeZero(CHUNK)));
            channel.runPendingTasks();
            next[0] = pingIn(channel, local);
            return next[0] != -1;
        });
        assertThat(next[0]).isGreaterThan(first);
        channel.finishAndReleaseAll();
        local.finishAndReleaseAll();
    }

    @Test
    void aChattyStreamSendsNoPingUntilItReceivedAnEighthOfItsWindow() {
        EmbeddedChannel local = new EmbeddedChannel();
        EmbeddedChannel channel = streamOneInto(local);
        int share = Wire.INITIAL_WINDOW / RoundTripSampler.JOIN_SHARE;
        int pings = 0;
        for (int received = 0; received + 64 < share; received += 64) {
            channel.writeInbound(new Message.Data(1, Unpooled.directBuffer(64).writeZero(64)));
            channel.runPendingTasks();
            pings += pingIn(channel, local) != -1 ? 1 : 0;
        }
        assertThat(pings).as("64-byte messages short of an eighth of the window start no sample").isZero();
        channel.writeInbound(new Message.Data(1, Unpooled.directBuffer(64).writeZero(64)));
        channel.runPendingTasks();
        assertThat(pingIn(channel, local)).as("the message that reaches an eighth starts one").isNotEqualTo(-1);
        channel.finishAndReleaseAll();
        local.finishAndReleaseAll();
    }

    /** Drains both channels: @return the sentNanos of a PING sent, or -1 */
    private static long pingIn(EmbeddedChannel channel, EmbeddedChannel local) {
        Object o;
        while ((o = local.readOutbound()) != null) {
            ReferenceCountUtil.release(o);
        }
        long ping = -1;
        while ((o = channel.readOutbound()) != null) {
            if (o instanceof Message.Ping p) {
                ping = p.sentNanos();
            }
            ReferenceCountUtil.release(o);
        }
        return ping;
    }

    /** Sends a whole initial window, one frame per read, inside one sample; @return the credit granted */
    private static long grantedAfterOneRoundTrip(EmbeddedChannel local) {
        EmbeddedChannel channel = streamOneInto(local);
        ByteBuf payload = Unpooled.directBuffer(CHUNK).writeZero(CHUNK);
        long ping = -1;
        long granted = 0;
        for (int i = 0; i < Wire.INITIAL_WINDOW / CHUNK; i++) {
            channel.writeInbound(new Message.Data(1, payload.retainedSlice()));
            Object o;
            while ((o = local.readOutbound()) != null) {
                ReferenceCountUtil.release(o);
            }
            channel.runPendingTasks();
            while ((o = channel.readOutbound()) != null) {
                if (o instanceof Message.Ping p) {
                    ping = p.sentNanos();
                } else if (o instanceof Message.WindowUpdate w) {
                    granted += w.increment();
                }
                ReferenceCountUtil.release(o);
            }
        }
        assertThat(ping).as("the first data of the stream starts a round-trip sample").isNotEqualTo(-1);
        channel.writeInbound(new Message.Pong(ping));
        channel.runPendingTasks();
        Object o;
        while ((o = channel.readOutbound()) != null) {
            if (o instanceof Message.WindowUpdate w) {
                granted += w.increment();
            }
            ReferenceCountUtil.release(o);
        }
        payload.release();
        channel.finishAndReleaseAll();
        local.finishAndReleaseAll();
        return granted;
    }

    /** A client-side session whose peer opened stream 1, bound to {@code local}. */
    private static EmbeddedChannel streamOneInto(EmbeddedChannel local) {
        EmbeddedChannel channel = MuxChannels.carrying(false, new MuxSession.StreamListener() {
            @Override
            public void onStreamOpen(MuxSession session, Message.StreamOpen open) {
                session.acceptStream(open, local);
            }
        });
        channel.writeInbound(new Message.StreamOpen(1, "p", "u"));
        channel.runPendingTasks();
        drain(channel);
        return channel;
    }

    private static void drain(EmbeddedChannel ch) {
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ReferenceCountUtil.release(o);
        }
    }
}
