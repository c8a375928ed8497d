package io.jfrp.server;

import io.jfrp.core.config.ServerConfig;
import io.jfrp.core.mux.ChannelCarrier;
import io.jfrp.testing.Outbound;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.Message;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's session on the server while its channel is away: users held (a bounded number, each for a
 * bounded wait), served when the client returns, and the whole session closed when the grace ends.
 * On {@link EmbeddedChannel}s and their clocks.
 */
class ClientSessionTest {

    private static final Duration GRACE = Duration.ofSeconds(30);

    private final ServerRuntime rt = new ServerRuntime(ServerConfig.defaults().withDataDir(Path.of("unused"))
            .withSessionGracePeriod(GRACE), null, null);
    /** Owns the session's loop and its clock. */
    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final ClientSession session;

    ClientSessionTest() {
        loop.freezeTime();
        session = rt.registry.sessionFor(rt, "run-1", "", null, loop.eventLoop(), s -> true).session();
    }

    private final Map<EmbeddedChannel, ClientPeer> peers = new IdentityHashMap<>();

    /** A control channel whose carrier attached itself to the session's streams, as after a login. */
    private EmbeddedChannel controlChannel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new ChannelCarrier(session.mux(), 0));
        return ch;
    }

    /** The client on {@code ch} as the session sees it: one per channel, as a login makes it. */
    private ClientPeer peer(EmbeddedChannel ch, String address) {
        return peers.computeIfAbsent(ch, c -> new JfrpClientPeer(c, address));
    }

    private ClientPeer peer(EmbeddedChannel ch) {
        return peers.get(ch);
    }

    private void advance(Duration d) {
        loop.advanceTimeBy(d.toMillis(), TimeUnit.MILLISECONDS);
        loop.runScheduledPendingTasks();
        loop.runPendingTasks();
    }

    /** What the session sent on {@code ch}, after its loop ran what it had queued (the coalesced flush). */
    private List<Object> out(EmbeddedChannel ch) {
        loop.runPendingTasks();
        return Outbound.take(ch);
    }

    @Test
    void usersArrivingWhileTheClientIsAwayAreHeldUpToTheLimitAndTheRestReset() {
        List<EmbeddedChannel> users = new ArrayList<>();
        for (int i = 0; i <= ClientSession.MAX_HELD; i++) {
            EmbeddedChannel u = new EmbeddedChannel();
            users.add(u);
            session.userConnected(u, "web");
        }
        assertThat(users.subList(0, ClientSession.MAX_HELD)).allMatch(EmbeddedChannel::isOpen);
        assertThat(users.get(ClientSession.MAX_HELD).isOpen()).as("one over the limit").isFalse();
        session.close("test over");
        assertThat(users).noneMatch(EmbeddedChannel::isOpen);
    }

    @Test
    void aHeldUserIsResetWhenItsWaitIsOver() {
        EmbeddedChannel user = new EmbeddedChannel();
        session.userConnected(user, "web");
        Duration wait = rt.config.userConnTimeout();
        advance(wait.minusMillis(1));
        assertThat(user.isOpen()).isTrue();
        advance(Duration.ofMillis(1));
        assertThat(user.isOpen()).isFalse();
        session.close("test over");
    }

    @Test
    void heldUsersBecomeStreamsWhenTheClientComesBack() {
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        session.userConnected(a, "web");
        session.userConnected(b, "web");
        EmbeddedChannel control = controlChannel();
        session.attach(peer(control, "peer"), "host", false);
        List<Object> sent = out(control);
        assertThat(sent).filteredOn(o -> o instanceof Message.LoginOk).hasSize(1);
        assertThat(sent).filteredOn(o -> o instanceof Message.StreamOpen).hasSize(2);
        sent.forEach(ReferenceCountUtil::release);
        assertThat(a.isOpen() && b.isOpen()).isTrue();
        session.close("test over");
        control.finishAndReleaseAll();
    }

    @Test
    void aClientThatDoesNotReturnWithinTheGraceLosesItsSession() {
        EmbeddedChannel control = controlChannel();
        session.attach(peer(control, "peer"), "host", false);
        out(control).forEach(ReferenceCountUtil::release);
        session.channelEnded(peer(control), "connection reset", ClientSession.ChannelEnd.CLOSED);
        assertThat(session.isClosed()).isFalse();
        advance(GRACE.minusMillis(1));
        assertThat(session.isClosed()).isFalse();
        assertThat(rt.registry.sessions()).contains(session);
        advance(Duration.ofMillis(1));
        assertThat(session.isClosed()).isTrue();
        assertThat(rt.registry.sessions()).doesNotContain(session);
        control.finishAndReleaseAll();
    }

    @Test
    void aClientThatSaysGoodbyeLosesItsSessionAtOnce() {
        EmbeddedChannel control = controlChannel();
        session.attach(peer(control, "peer"), "host", false);
        out(control).forEach(ReferenceCountUtil::release);
        session.channelEnded(peer(control), "the client said goodbye", ClientSession.ChannelEnd.GOODBYE);
        assertThat(session.isClosed()).isTrue();
        control.finishAndReleaseAll();
    }

    @Test
    void aSecondLoginReplacesTheFirstChannelWhichIsToldWhyAndNoLongerHeard() {
        EmbeddedChannel first = controlChannel();
        session.attach(peer(first, "peer-1"), "host", false);
        out(first).forEach(ReferenceCountUtil::release);

        EmbeddedChannel second = controlChannel();
        session.attach(peer(second, "peer-2"), "host", false);

        List<Object> toFirst = out(first);
        assertThat(toFirst).filteredOn(o -> o instanceof Message.GoAway g && g.code() == ErrorCode.REPLACED).hasSize(1);
        assertThat(first.isOpen()).as("the replaced channel is closed").isFalse();
        List<Object> toSecond = out(second);
        assertThat(toSecond).filteredOn(o -> o instanceof Message.LoginOk ok && ok.message().equals("resumed")).hasSize(1);
        assertThat(session.peer()).isEqualTo("peer-2");

        // The replaced channel's last words and its end change nothing.
        session.closeProxy(peer(first), "web");
        session.channelEnded(peer(first), "connection reset", ClientSession.ChannelEnd.CLOSED);
        assertThat(session.isAttached()).isTrue();
        assertThat(session.isClosed()).isFalse();
        assertThat(out(second)).isEmpty();

        session.close("test over");
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }

    @Test
    void aLoginThatJoinsLeavesTheFirstChannelOpenButNoLongerHeard() {
        EmbeddedChannel first = controlChannel();
        session.attach(peer(first, "peer-1"), "host", false);
        out(first).forEach(ReferenceCountUtil::release);

        EmbeddedChannel second = controlChannel();
        session.attach(peer(second, "peer-2"), "host", true);

        assertThat(out(first)).as("nothing for the channel the client moves from").isEmpty();
        assertThat(first.isOpen()).as("it carries the streams it has until they end").isTrue();
        assertThat(out(second)).filteredOn(o -> o instanceof Message.LoginOk ok && ok.message().equals("resumed")).hasSize(1);
        assertThat(session.peer()).isEqualTo("peer-2");

        // Its end, when the client closes it, is no loss to the session.
        session.channelEnded(peer(first), "the client said goodbye", ClientSession.ChannelEnd.CLOSED);
        assertThat(session.isAttached()).isTrue();
        assertThat(session.isClosed()).isFalse();
        assertThat(out(second)).isEmpty();

        session.close("test over");
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }
}
