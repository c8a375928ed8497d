package io.jfrp.core.transport;

import io.jfrp.testing.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** What the KCP carrier keeps of the datagrams it is given: its own copies only, and nothing once stopped. */
@ExtendWith(LeakCheck.class)
class KcpCarrierTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress SELF = new InetSocketAddress("127.0.0.1", 40001);
    private static final int CONV = 7;

    @Test
    void aSegmentHeldOutOfOrderDoesNotPinTheDatagramItCameIn() {
        EmbeddedChannel ch = new EmbeddedChannel(new KcpCarrier(CONV, PEER, false));
        try {
            // sn 3 before 0, 1 and 2: KCP must hold it until they arrive.
            ByteBuf datagram = push(3, "later");
            ch.writeInbound(new DatagramPacket(datagram, SELF, PEER));
            assertThat(datagram.refCnt()).as("the datagram's buffer, after KCP took the segment").isZero();
            assertThat(ch.<Object>readInbound()).isNull();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aDatagramArrivingAfterTheCarrierStoppedIsReleased() {
        EmbeddedChannel ch = new EmbeddedChannel(new KcpCarrier(CONV, PEER, false));
        try {
            ch.pipeline().fireChannelInactive();
            ByteBuf datagram = push(0, "late");
            ch.writeInbound(new DatagramPacket(datagram, SELF, PEER));
            assertThat(datagram.refCnt()).isZero();
            assertThat(ch.<Object>readInbound()).isNull();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void inOrderBytesComeOutAsTheStream() {
        EmbeddedChannel ch = new EmbeddedChannel(new KcpCarrier(CONV, PEER, false));
        try {
            ch.writeInbound(new DatagramPacket(push(0, "hello"), SELF, PEER));
            ByteBuf out = ch.readInbound();
            try {
                assertThat(out.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hello");
            } finally {
                out.release();
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** One KCP PUSH segment (ikcp's 24-byte little-endian header), in a direct buffer as a socket read makes. */
    private static ByteBuf push(int sn, String data) {
        byte[] bytes = data.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuf b = Unpooled.directBuffer(24 + bytes.length);
        b.writeIntLE(CONV).writeByte(81).writeByte(0).writeShortLE(128)
                .writeIntLE(0).writeIntLE(sn).writeIntLE(0).writeIntLE(bytes.length).writeBytes(bytes);
        return b;
    }
}
