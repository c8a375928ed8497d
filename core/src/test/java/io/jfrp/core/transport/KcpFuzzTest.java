package io.jfrp.core.transport;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jfrp.testing.LeakCheck;
import org.junit.jupiter.api.extension.ExtendWith;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;

/**
 * Datagrams from anyone into the KCP carrier (UDP: any host can send them): they become stream bytes or
 * are dropped, never an exception, a hang or a kept buffer.
 */
@ExtendWith(LeakCheck.class)
class KcpFuzzTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

    @FuzzTest(maxDuration = "10s")
    void datagramsFromAnyone(FuzzedDataProvider in) {
        EmbeddedChannel ch = new EmbeddedChannel(new KcpCarrier(in.consumeInt(), PEER, in.consumeBoolean()));
        try {
            for (int i = 0; i < 32 && in.remainingBytes() > 0; i++) {
                byte[] d = in.consumeBytes(in.consumeInt(0, 2048));
                InetSocketAddress from = in.consumeBoolean() ? PEER : new InetSocketAddress("127.0.0.2", 40000);
                ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(d), PEER, from));
                if (in.consumeBoolean()) {
                    ch.writeOutbound(Unpooled.wrappedBuffer(in.consumeBytes(in.consumeInt(0, 8192))));
                }
                ch.runPendingTasks();
                Object m;
                while ((m = ch.readInbound()) != null) {
                    ReferenceCountUtil.release(m);
                }
                while ((m = ch.readOutbound()) != null) {
                    ReferenceCountUtil.release(m);
                }
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
