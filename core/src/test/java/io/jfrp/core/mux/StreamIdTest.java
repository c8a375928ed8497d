package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.jfrp.testing.LeakCheck;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Stream ids run out on a long-lived channel: they start again at the bottom and never reuse a live id. */
@ExtendWith(LeakCheck.class)
class StreamIdTest {

    @Test
    void idsWrapToTheBottomAndSkipTheOnesStillInUse() {
        EmbeddedChannel ch = MuxChannels.carrying(true, new MuxSession.StreamListener() {
        });
        MuxSession mux = MuxChannels.mux(ch);
        List<EmbeddedChannel> users = new ArrayList<>();
        List<Integer> opened = new ArrayList<>();
        for (int start : new int[]{1, Integer.MAX_VALUE - 2, -1, -1}) {
            if (start > 0) {
                mux.nextStreamIdForTest(start);
            }
            EmbeddedChannel user = new EmbeddedChannel();
            users.add(user);
            mux.openStream(user, "p", 10_000);
            ch.runPendingTasks();
            Object o;
            while ((o = ch.readOutbound()) != null) {
                if (o instanceof Message.StreamOpen open) {
                    opened.add(open.streamId());
                }
                ReferenceCountUtil.release(o);
            }
        }
        // Stream 1 is still open when the ids wrap: the next one is 3, never a second 1.
        assertThat(opened).containsExactly(1, Integer.MAX_VALUE - 2, Integer.MAX_VALUE, 3);
        ch.finishAndReleaseAll();
        users.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void whenEveryIdIsLiveANewUserIsRefusedAndAnIdComesBackOnlyOnceItsStreamIsGone() {
        List<String> refusals = new ArrayList<>();
        EmbeddedChannel ch = MuxChannels.carrying(true, new MuxSession.StreamListener() {
            @Override
            public void onStreamRefused(String proxyName, String userAddress, String reason) {
                refusals.add(reason);
            }
        });
        MuxSession mux = MuxChannels.mux(ch);
        mux.maxStreamIdForTest(7);
        List<EmbeddedChannel> users = new ArrayList<>();
        List<Integer> opened = new ArrayList<>();
        Runnable openOne = () -> {
            EmbeddedChannel user = new EmbeddedChannel();
            users.add(user);
            mux.openStream(user, "p", 10_000);
            ch.runPendingTasks();
            Object o;
            while ((o = ch.readOutbound()) != null) {
                if (o instanceof Message.StreamOpen open) {
                    opened.add(open.streamId());
                }
                ReferenceCountUtil.release(o);
            }
        };
        for (int i = 0; i < 5; i++) {
            openOne.run();
        }
        assertThat(opened).containsExactly(1, 3, 5, 7);
        assertThat(users.get(4).isOpen()).as("the fifth user is reset, not given a live id").isFalse();
        assertThat(refusals).containsExactly("no free stream id (4 streams open)");

        ch.writeInbound(new Message.Reset(3, "the service went away"));
        ch.runPendingTasks();
        users.get(1).runPendingTasks();
        assertThat(users.get(1).isOpen()).isFalse();
        openOne.run();
        assertThat(opened).as("3 is free again, and only 3").containsExactly(1, 3, 5, 7, 3);
        ch.finishAndReleaseAll();
        users.forEach(EmbeddedChannel::finishAndReleaseAll);
    }
}
