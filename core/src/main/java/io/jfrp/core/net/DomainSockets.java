package io.jfrp.core.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
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

    /** A listener on {@code loop}; children start with auto-read off, as every relayed socket does. */
    public static ServerBootstrap server(NettyTransport io, EventLoopGroup loop) {
        ServerBootstrap b = new ServerBootstrap().group(loop, loop)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        return switch (io.kind()) {
            case IO_URING -> b.channel(IoUringServerDomainSocketChannel.class);
            case EPOLL -> b.channel(EpollServerDomainSocketChannel.class);
            case NIO -> b.channel(NioServerDomainSocketChannel.class);
        };
    }

    /** An outgoing connection on {@code loop}. */
    public static Bootstrap client(NettyTransport io, EventLoopGroup loop, int connectTimeoutMillis) {
        Bootstrap b = new Bootstrap().group(loop)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
        return switch (io.kind()) {
            case IO_URING -> b.channel(IoUringDomainSocketChannel.class);
            case EPOLL -> b.channel(EpollDomainSocketChannel.class);
            case NIO -> b.channel(NioDomainSocketChannel.class);
        };
    }
}
