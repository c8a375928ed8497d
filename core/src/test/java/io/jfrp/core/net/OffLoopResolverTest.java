package io.jfrp.core.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A slow DNS answer for one dial must not hold up another dial on the same event loop. */
class OffLoopResolverTest {

    @Test
    void aSlowLookupDelaysNeitherALiteralAddressNorAnotherNameOnTheSameLoop() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        OffLoopResolver resolver = new OffLoopResolver("test-dns", host -> {
            if (host.equals("slow.test")) {
                try {
                    // A DNS server that takes its time; bounded, so a broken test cannot hang the build.
                    answer.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new UnknownHostException(host + ": interrupted");
                }
            } else if (!host.equals("fast.test")) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[]{InetAddress.getLoopbackAddress()};
        });
        try (NettyTransport transport = NettyTransport.create("dns-test", 1);
             ServerSocket service = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            EventLoop loop = transport.group().next();
            // Every dial of the product resolves this way (the control channel's serverAddr, each localIP).
            assertThat(transport.bootstrap(loop, 5000).config().resolver()).isInstanceOf(OffLoopResolver.class);
            Bootstrap b = transport.bootstrap(loop, 5000).resolver(resolver).handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    // nothing to do: only the connect is measured
                }
            });
            int port = service.getLocalPort();

            ChannelFuture slow = b.connect(InetSocketAddress.createUnresolved("slow.test", port));
            // An address given as text (serverAddr = "127.0.0.1" reaches Netty unresolved) needs no lookup.
            ChannelFuture literal = b.connect(InetSocketAddress.createUnresolved("127.0.0.1", port));
            ChannelFuture otherName = b.connect(InetSocketAddress.createUnresolved("fast.test", port));
            literal.await(5, TimeUnit.SECONDS);
            assertThat(literal.cause()).as("a literal address, at once").isNull();
            assertThat(literal.isSuccess()).isTrue();
            assertThat(otherName.await(5, TimeUnit.SECONDS) && otherName.isSuccess()).as("another name, at once").isTrue();
            assertThat(slow.isDone()).as("the slow name is still being looked up").isFalse();

            answer.countDown();
            assertThat(slow.await(5, TimeUnit.SECONDS) && slow.isSuccess()).as("the slow name, once answered").isTrue();
            ChannelFuture unknown = b.connect(InetSocketAddress.createUnresolved("nowhere.test", port));
            assertThat(unknown.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(unknown.cause()).isInstanceOf(UnknownHostException.class);
            for (ChannelFuture f : new ChannelFuture[]{slow, literal, otherName}) {
                f.channel().close().syncUninterruptibly();
            }
        } finally {
            resolver.close();
        }
    }
}
