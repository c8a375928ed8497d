package io.jfrp.core.mux;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jfrp.testing.LeakCheck;
import org.junit.jupiter.api.extension.ExtendWith;
import io.jfrp.protocol.FrameDecoder;
import io.jfrp.protocol.ProtocolException;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;

import java.util.Arrays;

/**
 * Peer bytes into the frame decoder, in pieces as a socket delivers them: it yields messages or a
 * {@link ProtocolException}, never another exception, and keeps nothing (the leak detector, paranoid in
 * tests, watches every buffer). {@code bin/fuzz} runs it for a bounded time; plain {@code mvn test} replays
 * the corpus under src/test/resources.
 */
@ExtendWith(LeakCheck.class)
class FrameFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void framesFromAPeer(byte[] data) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        try {
            // A preface, so that the fuzzer spends its time on frames rather than on the magic.
            byte[] in = data.length > 0 && (data[0] & 1) == 1 ? prefaced(data) : data;
            int at = 0;
            int step = 1 + (data.length == 0 ? 0 : (data[data.length - 1] & 0x3f));
            while (at < in.length) {
                int n = Math.min(step, in.length - at);
                try {
                    ch.writeInbound(Unpooled.wrappedBuffer(in, at, n));
                } catch (DecoderException e) {
                    if (!(e instanceof ProtocolException)) {
                        throw e;
                    }
                    return;
                }
                at += n;
                Object m;
                while ((m = ch.readInbound()) != null) {
                    m.toString();
                    ReferenceCountUtil.release(m);
                }
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static byte[] prefaced(byte[] data) {
        byte[] p = {'J', 'F', 'R', 'P', 1, 1};
        byte[] out = Arrays.copyOf(p, p.length + data.length - 1);
        System.arraycopy(data, 1, out, p.length, data.length - 1);
        return out;
    }
}
