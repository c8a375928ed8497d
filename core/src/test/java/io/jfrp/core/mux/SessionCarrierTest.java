package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.Outbound;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A session outlives the channels that carry it: its id space and state stay, a lost carrier aborts
 * the streams it carried (and only those), a second carrier serves new streams while the first keeps its
 * own, and a retired carrier is handed back once its streams ended.
 */
@ExtendWith(LeakCheck.class)
class SessionCarrierTest {

    private final EmbeddedChannel first = MuxChannels.carrying(true, new MuxSession.StreamListener() {
    });
    private final MuxSession mux = MuxChannels.mux(first);

    /** What went out on {@code ch}, once the session's loop (the first channel's) ran its coalesced flush. */
    private List<Message> sent(EmbeddedChannel ch) {
        first.runPendingTasks();
        return drained(ch);
    }

    private static int openedId(List<Message> sent) {
        return sent.stream().filter(m -> m instanceof Message.StreamOpen).mapToInt(Message::streamId).findFirst()
                .orElseThrow();
    }

    /** A second channel of the same session, as after a reconnect: its carrier attaches when it joins. */
    private EmbeddedChannel secondCarrier() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new ChannelCarrier(mux, 0));
        return ch;
    }

    @Test
    void aLostCarrierAbortsItsStreamsAndTheNextCarrierServesNewOnesWithFreshIds() {
        EmbeddedChannel user = new EmbeddedChannel();
        mux.openStream(user, "web", 10_000);
        int before = openedId(sent(first));

        first.close();
        assertThat(user.isOpen()).as("a stream of the lost carrier").isFalse();
        assertThat(mux.attached()).isFalse();
        EmbeddedChannel early = new EmbeddedChannel();
        mux.openStream(early, "web", 10_000);
        assertThat(early.isOpen()).as("a user while no carrier is attached").isFalse();

        EmbeddedChannel second = secondCarrier();
        EmbeddedChannel next = new EmbeddedChannel();
        mux.openStream(next, "web", 10_000);
        int after = openedId(sent(second));
        assertThat(next.isOpen()).isTrue();
        // The id space belongs to the session: the new channel does not start it again.
        assertThat(after).isGreaterThan(before);
        second.finishAndReleaseAll();
        next.finishAndReleaseAll();
    }

    @Test
    void aSecondCarrierTakesNewStreamsWhileTheFirstKeepsItsOwnUntilItEnds() {
        EmbeddedChannel user = new EmbeddedChannel();
        mux.openStream(user, "web", 10_000);
        int id = openedId(sent(first));
        first.writeInbound(new Message.StreamOpenOk(id));

        EmbeddedChannel second = secondCarrier();
        assertThat(user.isOpen()).as("a stream of the first carrier, once a second attached").isTrue();
        EmbeddedChannel now = new EmbeddedChannel();
        mux.openStream(now, "web", 10_000);
        int nowId = openedId(sent(second));
        second.writeInbound(new Message.StreamOpenOk(nowId));

        // Each stream's frames stay on its own carrier, both ways.
        user.writeInbound(Unpooled.copiedBuffer(new byte[5]));
        assertThat(sent(first)).as("the first stream's data").anyMatch(m -> m instanceof Message.Data d && d.streamId() == id);
        assertThat(drained(second)).noneMatch(m -> m.streamId() == id);
        first.writeInbound(new Message.Data(id, Unpooled.copiedBuffer(new byte[3])));
        assertThat(Outbound.take(user)).as("what the first carrier brought its stream").hasSize(1)
                .allSatisfy(ReferenceCountUtil::release);
        // A frame of the new stream on the old carrier is not the peer's way: dropped, and released.
        first.writeInbound(new Message.Data(nowId, Unpooled.copiedBuffer(new byte[16])));
        assertThat((Object) now.readOutbound()).as("nothing reached the new stream from the old channel").isNull();

        first.close();
        assertThat(user.isOpen()).as("the first carrier's stream, once it is lost").isFalse();
        assertThat(mux.attached()).isTrue();
        assertThat(now.isOpen()).isTrue();
        second.finishAndReleaseAll();
        now.finishAndReleaseAll();
    }

    @Test
    void aRetiredCarrierIsHandedBackOnceItsLastStreamEnded() {
        EmbeddedChannel user = new EmbeddedChannel();
        mux.openStream(user, "web", 10_000);
        int id = openedId(sent(first));
        first.writeInbound(new Message.StreamOpenOk(id));
        EmbeddedChannel second = secondCarrier();
        EmbeddedChannel unused = new EmbeddedChannel();
        unused.pipeline().addLast(new ChannelCarrier(mux, 0));

        boolean[] drained = new boolean[2];
        mux.retire(first.pipeline().get(ChannelCarrier.class), () -> drained[0] = true);
        mux.retire(unused.pipeline().get(ChannelCarrier.class), () -> drained[1] = true);
        assertThat(drained[1]).as("a retired carrier without streams, at once").isTrue();
        assertThat(drained[0]).as("while its stream lives").isFalse();

        first.writeInbound(new Message.Reset(id, "the service went"));
        first.runPendingTasks();
        assertThat(user.isOpen()).isFalse();
        assertThat(drained[0]).as("once its last stream ended").isTrue();
        second.finishAndReleaseAll();
        unused.finishAndReleaseAll();
    }

    /** What a stream must receive before it joins a round-trip sample. */
    private static final int SHARE = Wire.INITIAL_WINDOW / RoundTripSampler.JOIN_SHARE;

    @Test
    void theNextCarrierMeasuresRoundTripsAgainThoughThePingOfTheLostOneNeverCameBack() {
        List<EmbeddedChannel> locals = new ArrayList<>();
        EmbeddedChannel old = MuxChannels.carrying(false, new MuxSession.StreamListener() {
            @Override
            public void onStreamOpen(MuxSession session, Message.StreamOpen open) {
                EmbeddedChannel local = new EmbeddedChannel();
                locals.add(local);
                session.acceptStream(open, local);
            }
        });
        MuxSession acceptor = MuxChannels.mux(old);
        old.writeInbound(new Message.StreamOpen(1, "web", "u1"), new Message.Data(1, Unpooled.copiedBuffer(new byte[SHARE])));
        assertThat(drained(old)).as("data starts a round-trip sample").anyMatch(m -> m instanceof Message.Ping);
        old.close(); // its PING is never answered

        EmbeddedChannel next = new EmbeddedChannel();
        next.pipeline().addLast(new ChannelCarrier(acceptor, 0));
        next.writeInbound(new Message.StreamOpen(3, "web", "u2"));
        List<Message> seen = new ArrayList<>();
        // Samples start at most every few milliseconds: keep data coming until one does.
        await().pollInSameThread().atMost(Duration.ofSeconds(5)).until(() -> {
            next.writeInbound(new Message.Data(3, Unpooled.copiedBuffer(new byte[SHARE])));
            old.runPendingTasks();
            seen.addAll(drained(next));
            return seen.stream().anyMatch(m -> m instanceof Message.Ping);
        });
        next.finishAndReleaseAll();
        locals.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** What went out on {@code ch}, released: the tests look at types and ids only. */
    private static List<Message> drained(EmbeddedChannel ch) {
        List<Message> out = new ArrayList<>();
        for (Object o : Outbound.take(ch)) {
            out.add((Message) o);
            ReferenceCountUtil.release(o);
        }
        return out;
    }
}
