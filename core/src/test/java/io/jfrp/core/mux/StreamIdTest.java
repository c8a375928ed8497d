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
}
