package io.jfrp.core.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Netty 4.2.18's epoll, left alone, loses a half-closed socket's answer: once the peer's FIN is read and
 * no write waits, the socket leaves epoll's interest set, and the first write that must wait for room
 * fails and shuts the output. With {@link EpollInterest#keep} the peer gets every byte.
 */
class EpollInterestTest {

    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 128;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aHalfClosedPeerGetsTheWholeAnswer(boolean kept) throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        AtomicInteger failedWrites = new AtomicInteger();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        try {
            Channel listener = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (kept) {
                                EpollInterest.keep(ch);
                            }
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    ctx.channel().config().setAutoRead(true);
                                }

                                @Override
                                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                    if (evt instanceof ChannelInputShutdownEvent) {
                                        // The answer, in a task of its own after the request ended (Netty has
                                        // finished with the FIN by then): far more than the socket holds.
                                        // As a relay does when it stops reading a socket whose input ended.
                                        ctx.channel().config().setAutoRead(false);
                                        ctx.executor().execute(() -> answer(ctx));
                                    }
                                }

                                private void answer(ChannelHandlerContext ctx) {
                                    {
                                        for (int i = 0; i < CHUNKS; i++) {
                                            ctx.write(Unpooled.wrappedBuffer(new byte[CHUNK])).addListener(f -> {
                                                if (!f.isSuccess()) {
                                                    failedWrites.incrementAndGet();
                                                }
                                            });
                                        }
                                        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                                            ctx.channel().close();
                                            answered.complete(null);
                                        });
                                    }
                                }
                            });
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            long got = 0;
            try (Socket peer = new Socket()) {
                peer.setReceiveBufferSize(16 * 1024);
                peer.setSoTimeout(20_000);
                peer.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                peer.getOutputStream().write(1);
                peer.shutdownOutput();
                InputStream in = peer.getInputStream();
                byte[] buf = new byte[CHUNK];
                // Nothing read until the server's socket is full and its writes wait for room.
                int first = in.read(buf, 0, 1);
                assertThat(first).isEqualTo(1);
                got = 1;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                for (int n; System.nanoTime() < deadline && (n = in.read(buf)) >= 0; ) {
                    got += n;
                }
            }
            answered.get(20, TimeUnit.SECONDS);
            if (kept) {
                assertThat(got).isEqualTo((long) CHUNK * CHUNKS);
                assertThat(failedWrites).hasValue(0);
            } else {
                // Documents the fault worked around: when Netty fixes it, this branch fails and the guard can go.
                assertThat(failedWrites.get()).as("writes Netty failed without the guard").isGreaterThan(0);
            }
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
