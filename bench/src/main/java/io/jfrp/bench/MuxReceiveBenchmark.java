package io.jfrp.bench;

import io.jfrp.core.mux.ChannelCarrier;
import io.jfrp.core.mux.MuxSession;
import io.jfrp.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * One stream's receive path through the mux: data frames in from the channel, bytes out to the local
 * socket, credit back to the peer. Embedded channels stand in for sockets, so this is the mux's own cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MuxReceiveBenchmark {

    /** 4 frames of 64 KiB are 256 KiB: inside a new stream's window, which the receiver enforces. */
    private static final int FRAMES = 4;

    @Param({"1024", "65536"})
    int payloadSize;

    private EmbeddedChannel channel;
    private EmbeddedChannel local;
    private ByteBuf payload;
    private int lastDelivered;

    @Setup(Level.Trial)
    public void setup() {
        local = new EmbeddedChannel();
        channel = new EmbeddedChannel();
        MuxSession mux = new MuxSession(channel.eventLoop(), false, new MuxSession.StreamListener() {
            @Override
            public void onStreamOpen(MuxSession session, Message.StreamOpen open) {
                session.acceptStream(open, local);
            }
        });
        channel.pipeline().addLast(new ChannelCarrier(mux, 0));
        channel.writeInbound(new Message.StreamOpen(1, "bench", "user"));
        channel.runPendingTasks();
        drain(channel, null);
        payload = PooledByteBufAllocator.DEFAULT.directBuffer(payloadSize).writeZero(payloadSize);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (lastDelivered != FRAMES * payloadSize) {
            // The stream was reset (credit not returned?): the figures would measure dropping frames.
            throw new IllegalStateException("the last invocation delivered " + lastDelivered + " of "
                    + FRAMES * payloadSize + " bytes");
        }
        payload.release();
        channel.finishAndReleaseAll();
        local.finishAndReleaseAll();
    }

    /** @return the bytes read out (small payloads reach the socket merged, so frames are not counted) */
    private static int drain(EmbeddedChannel ch, Blackhole bh) {
        int n = 0;
        Object o;
        while ((o = ch.readOutbound()) != null) {
            n += o instanceof ByteBuf b ? b.readableBytes() : 0;
            if (bh != null) {
                bh.consume(o);
            }
            ReferenceCountUtil.release(o);
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void dataToLocalSocketWithCredit(Blackhole bh) {
        Object[] frames = new Object[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            frames[i] = new Message.Data(1, payload.retainedSlice());
        }
        channel.writeInbound(frames);
        lastDelivered = drain(local, bh);
        channel.runPendingTasks();
        drain(channel, bh);
    }
}
