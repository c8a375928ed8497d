package io.jfrp.server;

import io.jfrp.core.config.ServerConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A logged-in channel's end on the server: a client gone silent is cut off at once, beneath TLS. */
class SessionChannelTest {

    private final ServerRuntime rt = new ServerRuntime(ServerConfig.defaults().withDataDir(Path.of("unused")), null, null);
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final ClientSession session = rt.registry.sessionFor(rt, "run-1", "", null, ch.eventLoop(), s -> true).session();

    @Test
    void aSilentClientsChannelIsClosedAtOnceWithoutWaitingForATlsGoodbye() {
        AtomicBoolean tlsAskedToClose = new AtomicBoolean();
        // As SslHandler does over a dead link: a close waits for its close_notify to be flushed (3 s by default).
        ch.pipeline().addLast("tls", new ChannelOutboundHandlerAdapter() {
            @Override
            public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
                tlsAskedToClose.set(true);
            }
        });
        ch.pipeline().addLast("session", new SessionChannel(session, new JfrpClientPeer(ch, "peer"), 3000));

        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);

        assertThat(ch.isOpen()).as("closed at once").isFalse();
        assertThat(tlsAskedToClose).as("beneath TLS").isFalse();
        session.close("test over");
    }

    @Test
    void aProxyNameTooLongOrWithControlCharactersIsRefusedWithWhy() {
        ch.pipeline().addLast("session", new SessionChannel(session, new JfrpClientPeer(ch, "peer"), 3000));
        ch.writeInbound(new io.jfrp.protocol.Message.NewProxy("x".repeat(300), "tcp", 0, java.util.Map.of()),
                new io.jfrp.protocol.Message.NewProxy("web\nINFO forged line", "tcp", 0, java.util.Map.of()));
        io.jfrp.protocol.Message.NewProxyResult tooLong = ch.readOutbound();
        io.jfrp.protocol.Message.NewProxyResult control = ch.readOutbound();
        assertThat(tooLong.code()).isEqualTo(io.jfrp.protocol.ErrorCode.PROTOCOL_ERROR);
        assertThat(tooLong.error()).contains("300 characters", "limit: 256");
        assertThat(control.error()).contains("control characters").doesNotContain("\n");
        assertThat(ch.isOpen()).as("the client may go on with its other proxies").isTrue();
        session.close("test over");
    }
}
