package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.jfrp.testing.LeakCheck;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session outlives the channels that carry it: its id space and state stay, a lost carrier aborts
 * the streams it carried (they cannot move yet), a replaced carrier is no longer heard, and the next
 * carrier serves new streams.
 */
@ExtendWith(LeakCheck.class)
class SessionCarrierTest {

    private final EmbeddedChannel first = MuxChannels.carrying(true, new MuxSession.StreamListener() {
    });
    private final MuxSession mux = MuxChannels.mux(first);

    /** What went out on {@code ch}, once the session's loop (the first channel's) ran its coalesced flush. */
    private List<Message> sent(EmbeddedChannel ch) {
        first.runPendingTasks();
        ch.runPendingTasks();
        List<Message> out = new ArrayList<>();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            out.add((Message) o);
            ReferenceCountUtil.release(o);
        }
        return out;
    }

    private static int openedId(List<Message> sent) {
        return sent.stream().filter(m -> m instanceof Message.StreamOpen).mapToInt(Message::streamId).findFirst()
                .orElseThrow();
    }

    /** A second channel of the same session, as after a reconnect: its carrier attaches when it joins. */
    private EmbeddedChannel secondCarrier() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new ChannelCarrier(mux, false));
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
    void aReplacedCarrierIsNoLongerHeardAndItsEndChangesNothing() {
        EmbeddedChannel user = new EmbeddedChannel();
        mux.openStream(user, "web", 10_000);
        int id = openedId(sent(first));

        EmbeddedChannel second = secondCarrier();
        assertThat(user.isOpen()).as("the replaced carrier's stream").isFalse();
        EmbeddedChannel now = new EmbeddedChannel();
        mux.openStream(now, "web", 10_000);
        int nowId = openedId(sent(second));
        second.writeInbound(new Message.StreamOpenOk(nowId));

        // Late frames on the old channel are dropped, and released.
        first.writeInbound(new Message.StreamOpenOk(id), new Message.Data(nowId, Unpooled.copiedBuffer(new byte[16])));
        first.close();
        assertThat(mux.attached()).isTrue();
        assertThat(now.isOpen()).isTrue();
        assertThat((Object) now.readOutbound()).as("nothing reached the new stream from the old channel").isNull();
        second.finishAndReleaseAll();
        now.finishAndReleaseAll();
    }
}
