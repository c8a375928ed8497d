package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.jfrp.testing.LeakCheck;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** A channel that takes no more parks its streams (they stop reading their sockets) until it drains. */
@ExtendWith(LeakCheck.class)
class StreamParkingTest {

    @Test
    void aFullChannelStopsTheStreamsReadingAndADrainedOneStartsThemAgain() {
        EmbeddedChannel ch = MuxChannels.carrying(true, new MuxSession.StreamListener() {
        });
        MuxSession mux = MuxChannels.mux(ch);
        // Unwritable as soon as anything waits to be flushed.
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        EmbeddedChannel user = new EmbeddedChannel();
        mux.openStream(user, "web", 10_000);
        ch.runPendingTasks();
        release(ch);
        ch.writeInbound(new Message.StreamOpenOk(1));
        ch.runPendingTasks();
        assertThat(user.config().isAutoRead()).as("an open stream reads its user").isTrue();

        user.writeInbound(Unpooled.copiedBuffer(new byte[1000]));
        assertThat(ch.isWritable()).isFalse();
        assertThat(user.config().isAutoRead()).as("parked while the channel is full").isFalse();

        ch.runPendingTasks(); // the coalesced flush: the channel drains
        assertThat(ch.isWritable()).isTrue();
        assertThat(user.config().isAutoRead()).as("reading again once it drained").isTrue();
        Message.Data d = null;
        Object o;
        while ((o = ch.readOutbound()) != null) {
            if (o instanceof Message.Data data) {
                d = data;
            } else {
                ReferenceCountUtil.release(o);
            }
        }
        assertThat(d).isNotNull();
        assertThat(d.payload().readableBytes()).isEqualTo(1000);
        d.release();
        ch.finishAndReleaseAll();
        user.finishAndReleaseAll();
    }

    private static void release(EmbeddedChannel ch) {
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ReferenceCountUtil.release(o);
        }
    }
}
