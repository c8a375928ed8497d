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
}
