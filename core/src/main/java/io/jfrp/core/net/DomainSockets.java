package io.jfrp.core.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannelConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Unix domain sockets on a transport's loops: a service reached by a path ({@code unix_domain_socket}),
 * and the client's plugins, which listen on sockets in a directory only the client's user can enter, so
 * that no other local user can reach what a plugin reaches. Each kind of loop has its own channel classes
 * and its own address class.
 */
public final class DomainSockets {

    private DomainSockets() {
    }

    /** The address of the socket at {@code path}, in the class the transport's channels take. */
    public static SocketAddress address(NettyTransport io, Path path) {
        return io.kind() == NettyTransport.Kind.NIO ? UnixDomainSocketAddress.of(path)
                : new DomainSocketAddress(path.toFile());
    }

    /**
     * A listener on {@code loop}. Its children must keep a half-closed direction open as TCP sockets do
     * (an answer may follow the user's end of input): their initializer calls {@link #halfClosable}.
     */
    public static ServerBootstrap server(NettyTransport io, EventLoopGroup loop) {
        ServerBootstrap b = new ServerBootstrap().group(loop, loop);
        return switch (io.kind()) {
            case IO_URING -> b.channel(IoUringServerDomainSocketChannel.class);
            case EPOLL -> b.channel(EpollServerDomainSocketChannel.class);
            case NIO -> b.channel(NioServerDomainSocketChannel.class);
        };
    }

    /**
     * Keeps the other direction open when one ends. Set on the channel's config: the NIO domain channel
     * has the setting but does not take it as a {@code ChannelOption} (Netty 4.2.18 warns and ignores it),
     * and without it an end of input closes the channel, which the stream relay reports as broken.
     */
    public static void halfClosable(Channel ch) {
        if (ch.config() instanceof DuplexChannelConfig d) {
            d.setAllowHalfClosure(true);
        }
    }

    /** An outgoing connection on {@code loop}, half-closable as above. */
    public static Bootstrap client(NettyTransport io, EventLoopGroup loop, int connectTimeoutMillis) {
        Bootstrap b = new Bootstrap().group(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
        ChannelFactory<Channel> factory = switch (io.kind()) {
            case IO_URING -> IoUringDomainSocketChannel::new;
            case EPOLL -> EpollDomainSocketChannel::new;
            case NIO -> NioDomainSocketChannel::new;
        };
        return b.channelFactory(() -> {
            Channel ch = factory.newChannel();
            halfClosable(ch);
            return ch;
        });
    }

    /**
     * Whether this transport's domain sockets behave as its TCP sockets do. Netty's NIO transport
     * half-closes only channels whose config is a SocketChannelConfig, which its domain channel's is not:
     * at the peer's end of output it closes, with nothing before, so the stream relay could not tell an
     * end from a break. Under NIO (a fallback), the client's plugins listen on loopback TCP instead.
     */
    public static boolean likeTcp(NettyTransport io) {
        return io.kind() != NettyTransport.Kind.NIO;
    }
}
