package io.jfrp.bench;

import io.jfrp.protocol.FrameDecoder;
import io.jfrp.protocol.FrameEncoder;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
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

/** Frames per second through the encoder and the decoder, for data frames of a given size. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {

    private static final int FRAMES = 64;

    @Param({"1024", "65536"})
    int payloadSize;

    private EmbeddedChannel encoder;
    private EmbeddedChannel decoder;
    private ByteBuf payload;
    private ByteBuf wire;

    @Setup(Level.Trial)
    public void setup() {
        encoder = new EmbeddedChannel(FrameEncoder.INSTANCE);
        encoder.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        decoder = new EmbeddedChannel(new FrameDecoder());
        decoder.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        payload = PooledByteBufAllocator.DEFAULT.directBuffer(payloadSize).writeZero(payloadSize);
        // One preface, then FRAMES data frames, laid out as the wire carries them.
        ByteBuf preface = PooledByteBufAllocator.DEFAULT.directBuffer();
        FrameEncoder.encode(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR), preface);
        decoder.writeInbound(preface);
        ReferenceCountUtil.release(decoder.readInbound());
        wire = PooledByteBufAllocator.DEFAULT.directBuffer(FRAMES * (payloadSize + Wire.HEADER_LENGTH));
        for (int i = 0; i < FRAMES; i++) {
            wire.writeByte(35).writeInt(1).writeInt(payloadSize).writeZero(payloadSize);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        payload.release();
        wire.release();
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void encodeData(Blackhole bh) {
        for (int i = 0; i < FRAMES; i++) {
            encoder.write(new Message.Data(1, payload.retainedSlice()));
        }
        encoder.flush();
        Object o;
        while ((o = encoder.readOutbound()) != null) {
            bh.consume(o);
            ReferenceCountUtil.release(o);
        }
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void decodeData(Blackhole bh) {
        decoder.writeInbound(wire.retainedDuplicate());
        Object o;
        while ((o = decoder.readInbound()) != null) {
            bh.consume(o);
            ReferenceCountUtil.release(o);
        }
    }
}
