package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.Outbound;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A datagram flow as a stream: datagrams go whole or not at all, wait little, and come back one by one. */
@ExtendWith(LeakCheck.class)
class DatagramStreamTest {

    private static final InetSocketAddress USER = new InetSocketAddress("127.0.0.1", 40000);

    private static ByteBuf datagram(int size, int fill) {
        ByteBuf b = Unpooled.buffer(size);
        for (int i = 0; i < size; i++) {
            b.writeByte(fill);
        }
        return b;
    }

    private static List<Message.Data> data(EmbeddedChannel carrier) {
        return Outbound.take(carrier).stream().filter(o -> {
            if (o instanceof Message.Data) {
                return true;
            }
            ReferenceCountUtil.release(o);
            return false;
        }).map(o -> (Message.Data) o).toList();
    }

    @Test
    void aDatagramThatDoesNotFitTheWindowIsDroppedWholeNeverSplit() {
        EmbeddedChannel carrier = MuxChannels.carrying(new EmbeddedChannel(), true, 2000, 2000, MemoryBudget.forThisJvm(),
                new MuxSession.StreamListener() { }, 0);
        EmbeddedChannel socket = new EmbeddedChannel();
        DatagramFlow flow = new DatagramFlow(socket, USER, Duration.ofMinutes(1), () -> { });
        MuxChannels.mux(carrier).openStream(flow, "dns", 3000);
        carrier.writeInbound(new Message.StreamOpenOk(1));
        Outbound.take(carrier).forEach(ReferenceCountUtil::release);

        flow.received(datagram(1500, 1));
        flow.received(datagram(1500, 2)); // 500 bytes of credit left: not sent in part
        flow.received(datagram(400, 3));
        List<Message.Data> sent = data(carrier);
        assertThat(sent).extracting(d -> d.payload().readableBytes()).containsExactly(1500, 400);
        assertThat(sent.get(1).payload().getByte(0)).isEqualTo((byte) 3);
        assertThat(MuxChannels.mux(carrier).stream(1).datagramsDropped()).isEqualTo(1);
        sent.forEach(ReferenceCountUtil::release);
        flow.close();
        carrier.finishAndReleaseAll();
        socket.finishAndReleaseAll();
    }

    @Test
    void beforeTheOpenAtMost32DatagramsWaitAndTheRestAreDropped() {
        EmbeddedChannel carrier = MuxChannels.carrying(new EmbeddedChannel(), true, Wire.INITIAL_WINDOW, Wire.MAX_WINDOW,
                MemoryBudget.forThisJvm(), new MuxSession.StreamListener() { }, 0);
        EmbeddedChannel socket = new EmbeddedChannel();
        DatagramFlow flow = new DatagramFlow(socket, USER, Duration.ofMinutes(1), () -> { });
        for (int i = 0; i < 40; i++) {
            flow.received(datagram(100, i)); // before the stream exists: the flow keeps 32
        }
        MuxChannels.mux(carrier).openStream(flow, "dns", 3000);
        assertThat(data(carrier)).as("no early data: nothing goes before the client confirms").isEmpty();
        carrier.writeInbound(new Message.StreamOpenOk(1));
        List<Message.Data> sent = data(carrier);
        assertThat(sent).hasSize(DatagramFlow.MAX_EARLY);
        assertThat(sent.get(31).payload().getByte(0)).isEqualTo((byte) 31);
        sent.forEach(ReferenceCountUtil::release);
        flow.close();
        carrier.finishAndReleaseAll();
        socket.finishAndReleaseAll();
    }

    @Test
    void whatThePeerSendsLeavesAsOneDatagramPerFrameToTheUser() {
        EmbeddedChannel carrier = MuxChannels.carrying(true, new MuxSession.StreamListener() { });
        EmbeddedChannel socket = new EmbeddedChannel();
        DatagramFlow flow = new DatagramFlow(socket, USER, Duration.ofMinutes(1), () -> { });
        MuxChannels.mux(carrier).openStream(flow, "dns", 3000);
        carrier.writeInbound(new Message.StreamOpenOk(1));
        Outbound.take(carrier).forEach(ReferenceCountUtil::release);
        carrier.writeInbound(new Message.Data(1, datagram(3, 7)), new Message.Data(1, datagram(5, 8)));
        List<Object> out = Outbound.take(socket);
        assertThat(out).hasSize(2).allSatisfy(o -> assertThat(((DatagramPacket) o).recipient()).isEqualTo(USER));
        assertThat(out).extracting(o -> ((DatagramPacket) o).content().readableBytes()).containsExactly(3, 5);
        out.forEach(ReferenceCountUtil::release);
        flow.close();
        carrier.finishAndReleaseAll();
        socket.finishAndReleaseAll();
    }

    @Test
    void smallPayloadsWaitingForADatagramEndAreNeverMerged() {
        PeerBytes merging = new PeerBytes(false);
        PeerBytes datagrams = new PeerBytes(true);
        for (PeerBytes q : List.of(merging, datagrams)) {
            q.add(datagram(10, 1), ByteBufAllocator.DEFAULT);
            q.add(datagram(20, 2), ByteBufAllocator.DEFAULT);
        }
        ByteBuf merged = merging.poll();
        assertThat(merged.readableBytes()).as("a stream merges small payloads").isEqualTo(30);
        assertThat(merging.poll()).isNull();
        merged.release();
        ByteBuf first = datagrams.poll();
        ByteBuf second = datagrams.poll();
        assertThat(first.readableBytes()).isEqualTo(10);
        assertThat(second.readableBytes()).isEqualTo(20);
        first.release();
        second.release();
        merging.drop();
        datagrams.drop();
    }
}
