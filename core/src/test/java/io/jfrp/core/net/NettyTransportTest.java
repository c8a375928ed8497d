package io.jfrp.core.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sockets on both ends of a tunnel leg have Nagle off and keep-alive on, on each I/O. Nagle is off by
 * Netty's default for every socket channel (the bootstraps do not set it again: that was a second
 * setsockopt per connection on each side), and on Linux an accepted socket has keep-alive because its
 * listener has it (set once, not per connection); this holds Netty and the kernel to both.
 */
class NettyTransportTest {

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void acceptedAndDialledSocketsHaveNoDelayAndKeepAlive(String io) throws Exception {
        try (NettyTransport transport = NettyTransport.create("test", io)) {
            assumeTrue(transport.name().equals(io), io + " is not available on this kernel");
            CompletableFuture<Channel> accepted = new CompletableFuture<>();
            Channel listener = transport.serverBootstrap(true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            accepted.complete(ch);
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            try {
                Channel dialled = transport.bootstrap(2000).handler(new ChannelInboundHandlerAdapter()).connect(listener.localAddress()).sync().channel();
                try {
                    for (Channel ch : new Channel[]{accepted.get(5, TimeUnit.SECONDS), dialled}) {
                        assertThat(ch.config().getOption(ChannelOption.TCP_NODELAY)).as("TCP_NODELAY of %s", ch).isTrue();
                        assertThat(ch.config().getOption(ChannelOption.SO_KEEPALIVE)).as("SO_KEEPALIVE of %s", ch).isTrue();
                    }
                } finally {
                    dialled.close().sync();
                }
            } finally {
                listener.close().sync();
            }
        }
    }
}
