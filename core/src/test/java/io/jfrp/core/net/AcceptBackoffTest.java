package io.jfrp.core.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failing accepts (a process out of descriptors) pause the listener with a growing wait and are logged
 * as one line, then summaries, whatever the number of failures and ports; accepting resumes by itself.
 */
class AcceptBackoffTest {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> infos = new CopyOnWriteArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final AcceptFailureLog failures = new AcceptFailureLog(now::get, warnings::add, infos::add);

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Channel listener(AtomicInteger accepted) {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .handler(new AcceptBackoff(failures))
                .childHandler(new CountAndClose(accepted))
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
    }

    @io.netty.channel.ChannelHandler.Sharable
    private static final class CountAndClose extends ChannelInboundHandlerAdapter {
        private final AtomicInteger accepted;

        CountAndClose(AtomicInteger accepted) {
            this.accepted = accepted;
        }

        @Override
        public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
            accepted.incrementAndGet();
            ctx.close();
        }
    }

    @Test
    void aFailedAcceptPausesTheListenerWhichResumesAndTakesWhatWaitedInTheBacklog() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        Channel server = listener(accepted);
        server.eventLoop().submit(() -> server.pipeline().fireExceptionCaught(new IOException("Too many open files"))).sync();
        assertThat(server.config().isAutoRead()).as("paused").isFalse();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        try (Socket waiting = new Socket(InetAddress.getLoopbackAddress(), port)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> accepted.get() == 1);
        }
        assertThat(server.config().isAutoRead()).isTrue();
        assertThat(warnings).singleElement().asString()
                .contains("cannot accept connections on", String.valueOf(port), "Too many open files");
        assertThat(infos).as("not while failures are this recent").isEmpty();

        now.addAndGet(AcceptFailureLog.QUIET_NANOS);
        try (Socket later = new Socket(InetAddress.getLoopbackAddress(), port)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> accepted.get() == 2);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> infos.size() == 1);
        assertThat(infos.get(0)).contains("accepting connections again", "1 failures on 1 port");
        server.close().sync();
    }

    @Test
    void thousandsOfFailuresOnManyPortsAreOneLineThenASummaryAMinute() {
        for (int minute = 0; minute < 3; minute++) {
            for (int i = 0; i < 10_000; i++) {
                now.addAndGet(AcceptFailureLog.SUMMARY_NANOS / 10_000);
                failures.failed(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1000 + i % 400),
                        new IOException("Too many open files"), 50);
            }
        }
        assertThat(warnings).as("the first failure, then one summary a minute").hasSize(3);
        assertThat(warnings.get(1)).contains("accepting still fails: 10000 failures on 400 ports in the last 60 s");
        assertThat(failures.accepted()).as("a minute of failures just now").isTrue();
        now.addAndGet(AcceptFailureLog.QUIET_NANOS);
        assertThat(failures.accepted()).isFalse();
        assertThat(infos).as("once, when accepting has worked for a while").hasSize(1);
        assertThat(failures.accepted()).isFalse();
        assertThat(infos).hasSize(1);
    }
}
