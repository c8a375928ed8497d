package io.jfrp.core.mux;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jfrp.protocol.Message;
import io.jfrp.testing.LeakCheck;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A logged-in peer's stream frames, in any order with any ids and values, into a session on either side
 * (the server's, which opens streams for its users, or the client's, which accepts them), mixed with its
 * own users sending, closing and opening: no exception may escape, no buffer may leak (LeakCheck), and
 * once the carrier is gone every local socket is closed and the memory the session held is given back.
 * {@code bin/fuzz} runs it for a bounded time; plain {@code mvn test} replays the corpus.
 */
@ExtendWith(LeakCheck.class)
class SessionFrameFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void framesOfALoggedInPeer(FuzzedDataProvider data) {
        boolean opener = data.consumeBoolean();
        MemoryBudget budget = new MemoryBudget(4 << 20, 1 << 20);
        List<EmbeddedChannel> locals = new ArrayList<>();
        EmbeddedChannel carrier = MuxChannels.carrying(new EmbeddedChannel(), opener, 16 * 1024, 256 * 1024, budget,
                new MuxSession.StreamListener() {
                    @Override
                    public void onStreamOpen(MuxSession session, Message.StreamOpen open) {
                        if (open.streamId() % 3 == 0) {
                            session.rejectStream(open.streamId(), "refused");
                        } else {
                            EmbeddedChannel local = new EmbeddedChannel();
                            locals.add(local);
                            session.acceptStream(open, local);
                        }
                    }
                }, data.consumeInt(0, 7));
        MuxSession mux = MuxChannels.mux(carrier);
        try {
            for (int step = 0; step < 200 && data.remainingBytes() > 0; step++) {
                int id = data.consumeBoolean() ? data.consumeInt(0, 12) : data.consumeInt();
                switch (data.consumeInt(0, 12)) {
                    case 0 -> carrier.writeInbound(new Message.StreamOpen(id, "web", "203.0.113.9:4000"));
                    case 1 -> carrier.writeInbound(new Message.Data(id,
                            Unpooled.wrappedBuffer(data.consumeBytes(data.consumeInt(0, 40_000)))));
                    case 2 -> carrier.writeInbound(new Message.WindowUpdate(id, data.consumeInt()));
                    case 3 -> carrier.writeInbound(new Message.WindowOffset(id, data.consumeLong(), data.consumeLong()));
                    case 4 -> carrier.writeInbound(new Message.StreamOpenOk(id));
                    case 5 -> carrier.writeInbound(new Message.StreamOpenFail(id, "no"));
                    case 6 -> carrier.writeInbound(new Message.Fin(id));
                    case 7 -> carrier.writeInbound(new Message.Reset(id, "reset"));
                    case 8 -> carrier.writeInbound(new Message.Pong(data.consumeLong()));
                    case 9 -> {
                        EmbeddedChannel user = new EmbeddedChannel();
                        locals.add(user);
                        mux.openStream(user, "web", 10_000);
                    }
                    case 10 -> {
                        if (!locals.isEmpty()) {
                            EmbeddedChannel local = locals.get(Math.floorMod(id, locals.size()));
                            if (local.isOpen()) {
                                local.writeInbound(Unpooled.wrappedBuffer(data.consumeBytes(data.consumeInt(0, 40_000))));
                            }
                        }
                    }
                    case 11 -> {
                        if (!locals.isEmpty()) {
                            locals.get(Math.floorMod(id, locals.size())).close();
                        }
                    }
                    default -> locals.forEach(EmbeddedChannel::runPendingTasks);
                }
                carrier.runPendingTasks();
                drain(carrier);
                locals.forEach(SessionFrameFuzzTest::drain);
            }
        } finally {
            carrier.close();
            carrier.runPendingTasks();
            locals.forEach(EmbeddedChannel::runPendingTasks);
            assertThat(locals).as("every local socket, once the carrier is gone").noneMatch(EmbeddedChannel::isOpen);
            assertThat(budget.used()).as("memory held for the session's streams").isZero();
            drain(carrier);
            locals.forEach(EmbeddedChannel::finishAndReleaseAll);
            carrier.finishAndReleaseAll();
        }
    }

    /** Releases what went out on {@code ch} and what reached its pipeline's end. */
    private static void drain(EmbeddedChannel ch) {
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ReferenceCountUtil.release(o);
        }
        while ((o = ch.readInbound()) != null) {
            ReferenceCountUtil.release(o);
        }
    }
}
