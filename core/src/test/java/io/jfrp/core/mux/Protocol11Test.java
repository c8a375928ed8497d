package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.Outbound;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protocol 1.1, spoken only when both sides said so in HELLO and CHALLENGE: credit as an absolute
 * offset with the consumed offset, and the user's address in binary. With a 1.0 peer, 1.0's forms.
 */
@ExtendWith(LeakCheck.class)
class Protocol11Test {

    private static final int CHUNK = 64 * 1024;
    private static final int V11 = Wire.FEATURE_WINDOW_OFFSETS | Wire.FEATURE_BINARY_ADDRESS;

    /** An acceptor session speaking {@code features}, whose peer opened stream 1 into {@code local}. */
    private static EmbeddedChannel acceptorInto(EmbeddedChannel local, int features) {
        EmbeddedChannel ch = MuxChannels.carrying(new EmbeddedChannel(), false, Wire.INITIAL_WINDOW, Wire.MAX_WINDOW,
                MemoryBudget.forThisJvm(), new MuxSession.StreamListener() {
                    @Override
                    public void onStreamOpen(MuxSession session, Message.StreamOpen open) {
                        session.acceptStream(open, local);
                    }
                }, features);
        ch.writeInbound(new Message.StreamOpen(1, "p", new InetSocketAddress("203.0.113.5", 4242), true));
        ch.runPendingTasks();
        Outbound.take(ch).forEach(ReferenceCountUtil::release);
        return ch;
    }

    /** Sends the whole initial window to stream 1, lets the local end take it: @return what the session sent back. */
    private static List<Object> sendWindowAndCollect(EmbeddedChannel ch, EmbeddedChannel local) {
        for (int i = 0; i < Wire.INITIAL_WINDOW / CHUNK; i++) {
            ch.writeInbound(new Message.Data(1, Unpooled.buffer(CHUNK).writeZero(CHUNK)));
        }
        Outbound.take(local).forEach(ReferenceCountUtil::release);
        ch.runPendingTasks();
        return Outbound.take(ch);
    }

    @Test
    void aReceiverSpeaking11GrantsAnAbsoluteOffsetAndSaysWhatItConsumed() {
        EmbeddedChannel local = new EmbeddedChannel();
        EmbeddedChannel ch = acceptorInto(local, V11);
        List<Object> sent = sendWindowAndCollect(ch, local);
        List<Message.WindowOffset> offsets = new ArrayList<>();
        sent.forEach(o -> {
            assertThat(o).isNotInstanceOf(Message.WindowUpdate.class);
            if (o instanceof Message.WindowOffset w) {
                offsets.add(w);
            }
            ReferenceCountUtil.release(o);
        });
        assertThat(offsets).isNotEmpty();
        Message.WindowOffset last = offsets.get(offsets.size() - 1);
        assertThat(last.consumed()).as("the whole window reached the local end").isEqualTo(Wire.INITIAL_WINDOW);
        assertThat(last.maxOffset()).as("more than what was sent: credit").isGreaterThan(Wire.INITIAL_WINDOW);
        assertThat(offsets).allSatisfy(w -> assertThat(w.maxOffset()).isGreaterThan(w.consumed()));
        ch.finishAndReleaseAll();
        local.finishAndReleaseAll();
    }

    @Test
    void aReceiverWithA10PeerGrantsIncrements() {
        EmbeddedChannel local = new EmbeddedChannel();
        EmbeddedChannel ch = acceptorInto(local, Wire.FEATURE_EARLY_DATA);
        List<Object> sent = sendWindowAndCollect(ch, local);
        assertThat(sent).noneMatch(o -> o instanceof Message.WindowOffset)
                .anyMatch(o -> o instanceof Message.WindowUpdate);
        sent.forEach(ReferenceCountUtil::release);
        ch.finishAndReleaseAll();
        local.finishAndReleaseAll();
    }

    /** An opener speaking {@code features} with one confirmed stream (id 1) from {@code user}. */
    private static EmbeddedChannel openerWith(EmbeddedChannel user, int features) {
        EmbeddedChannel ch = MuxChannels.carrying(new EmbeddedChannel(), true, Wire.INITIAL_WINDOW, Wire.MAX_WINDOW,
                MemoryBudget.forThisJvm(), new MuxSession.StreamListener() {
                }, features);
        MuxChannels.mux(ch).openStream(user, "p", 60_000);
        ch.writeInbound(new Message.StreamOpenOk(1));
        ch.runPendingTasks();
        return ch;
    }

    private static long dataBytes(List<Object> frames) {
        long n = 0;
        for (Object o : frames) {
            if (o instanceof Message.Data d) {
                n += d.payload().readableBytes();
            }
            ReferenceCountUtil.release(o);
        }
        return n;
    }

    @Test
    void aSenderSpeaking11SendsUpToTheOffsetIgnoresAStaleOneAndResetsOnALie() {
        EmbeddedChannel user = new EmbeddedChannel();
        EmbeddedChannel ch = openerWith(user, V11);
        List<Object> open = Outbound.take(ch);
        assertThat(open).filteredOn(o -> o instanceof Message.StreamOpen).singleElement()
                .satisfies(o -> assertThat(((Message.StreamOpen) o).binaryAddress()).isTrue());
        open.forEach(ReferenceCountUtil::release);
        MuxStream stream = MuxChannels.mux(ch).stream(1);

        int more = 100_000;
        ByteBuf big = Unpooled.buffer().writeZero(Wire.INITIAL_WINDOW + 2 * more);
        user.writeInbound(big);
        ch.runPendingTasks();
        assertThat(dataBytes(Outbound.take(ch))).as("the initial window, no more").isEqualTo(Wire.INITIAL_WINDOW);

        ch.writeInbound(new Message.WindowOffset(1, Wire.INITIAL_WINDOW + more, 1000));
        ch.runPendingTasks();
        assertThat(dataBytes(Outbound.take(ch))).isEqualTo(more);
        assertThat(stream.peerConsumed()).isEqualTo(1000);

        ch.writeInbound(new Message.WindowOffset(1, 10, 500));
        ch.runPendingTasks();
        assertThat(dataBytes(Outbound.take(ch))).as("a lower offset grants nothing").isZero();
        assertThat(stream.peerConsumed()).as("and takes nothing back").isEqualTo(1000);

        ch.writeInbound(new Message.WindowOffset(1, Wire.INITIAL_WINDOW + 2L * more, Wire.INITIAL_WINDOW + more + 1));
        ch.runPendingTasks();
        List<Object> after = Outbound.take(ch);
        assertThat(after).as("consumed more than was sent: a lie")
                .anyMatch(o -> o instanceof Message.Reset r && r.reason().contains("invalid window offset"));
        after.forEach(ReferenceCountUtil::release);
        assertThat(user.isOpen()).isFalse();
        ch.finishAndReleaseAll();
        user.finishAndReleaseAll();
    }

    @Test
    void aSenderWithA10PeerOpensStreamsWithTheAddressAsText() {
        EmbeddedChannel user = new EmbeddedChannel();
        EmbeddedChannel ch = openerWith(user, Wire.FEATURE_EARLY_DATA);
        List<Object> open = Outbound.take(ch);
        assertThat(open).filteredOn(o -> o instanceof Message.StreamOpen).singleElement()
                .satisfies(o -> assertThat(((Message.StreamOpen) o).binaryAddress()).isFalse());
        open.forEach(ReferenceCountUtil::release);
        ch.finishAndReleaseAll();
        user.finishAndReleaseAll();
    }
}
