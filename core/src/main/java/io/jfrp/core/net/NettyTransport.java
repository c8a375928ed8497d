package io.jfrp.core.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;

import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * One event loop group and the channel classes that go with it: epoll on Linux, NIO elsewhere, io_uring
 * when asked for ({@code -Djfrp.io=io_uring}; {@code nio} also works).
 * <p>
 * io_uring is not the default although it took ~25% less CPU per new connection here: Netty 4.2.18's
 * io_uring transport loses events. With its default multishot POLL_ADD about one connection in 700
 * never saw a reset that arrived just after data, so a broken connection looked alive for ever; with
 * multishot off, a channel closed after a TLS error never finished closing (its peer waited for ever).
 * Both reproduce in seconds with plain Netty (NettyTransportTest holds epoll and NIO to the first).
 */
public final class NettyTransport implements AutoCloseable {

    enum Kind { IO_URING, EPOLL, NIO }

    private static final Kind PREFERRED = choose(System.getProperty("jfrp.io", "epoll"));

    /** SOL_SOCKET, SO_KEEPALIVE: the same numbers on every Linux architecture Netty's native code ships for. */
    private static final IntegerUnixChannelOption LISTENER_KEEP_ALIVE = new IntegerUnixChannelOption("SO_KEEPALIVE", 1, 9);

    private final EventLoopGroup group;
    /** What every listener of this transport logs when accepting fails: a line, then summaries (see AcceptFailureLog). */
    private final AcceptFailureLog acceptFailures = new AcceptFailureLog();
    /** Gives each listener its own {@link AcceptBackoff}: the pause is per port, the log per process. */
    private final io.netty.channel.ChannelInitializer<io.netty.channel.Channel> acceptBackoff = new io.netty.channel.ChannelInitializer<>() {
        @Override
        protected void initChannel(io.netty.channel.Channel ch) {
            ch.pipeline().addLast("accept-backoff", new AcceptBackoff(acceptFailures));
        }
    };
    private final Kind kind;
    private final OffLoopResolver resolver;

    private NettyTransport(String name, int threads, Kind preferred) {
        Kind k = preferred;
        EventLoopGroup g;
        try {
            g = newGroup(name, threads, k);
        } catch (RuntimeException | LinkageError e) {
            if (k != Kind.IO_URING) {
                throw e;
            }
            // The probe ring worked but this one did not (a memlock limit, a seccomp filter on some
            // io_uring operation): run on epoll rather than not at all.
            k = choose("epoll");
            LoggerFactory.getLogger(NettyTransport.class).warn("io_uring event loops failed to start ({}); using {}",
                    e.toString(), k.name().toLowerCase(Locale.ROOT));
            g = newGroup(name, threads, k);
        }
        this.kind = k;
        this.group = g;
        this.resolver = new OffLoopResolver(name + "-dns");
    }

    private static EventLoopGroup newGroup(String name, int threads, Kind kind) {
        IoHandlerFactory factory = switch (kind) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    private static Kind choose(String wanted) {
        if (wanted.equals("io_uring") && IoUring.isAvailable()) {
            return Kind.IO_URING;
        }
        if (!wanted.equals("nio") && Epoll.isAvailable()) {
            return Kind.EPOLL;
        }
        return Kind.NIO;
    }

    /** The I/O this process uses: "io_uring", "epoll" or "nio". */
    public static String preferredName() {
        return PREFERRED.name().toLowerCase(Locale.ROOT);
    }

    /** @param threads 0 for one per core */
    public static NettyTransport create(String name, int threads) {
        int n = threads > 0 ? threads : Math.max(2, Runtime.getRuntime().availableProcessors());
        return new NettyTransport(name, n, PREFERRED);
    }

    /** One loop on the named I/O ("io_uring", "epoll", "nio") or the best below it: for tests of each. */
    static NettyTransport create(String name, String io) {
        return new NettyTransport(name, 1, choose(io));
    }

    public EventLoopGroup group() {
        return group;
    }

    public String name() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constructor itself rather than {@code channel(Class)}: Netty's reflective factory costs a
     * caller check and a reflective call on every dial, ~1.5% of a client's CPU under short-lived
     * connections.
     */
    private ChannelFactory<SocketChannel> socketChannelFactory() {
        return switch (kind) {
            case IO_URING -> IoUringSocketChannel::new;
            case EPOLL -> EpollSocketChannel::new;
            case NIO -> NioSocketChannel::new;
        };
    }

    Kind kind() {
        return kind;
    }

    public Class<? extends ServerSocketChannel> serverSocketChannel() {
        return switch (kind) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    /** A listener with the options every jfrp listener has; children start with auto-read as given. */
    public ServerBootstrap serverBootstrap(boolean childAutoRead) {
        return serverBootstrap(group, childAutoRead);
    }

    /**
     * As above, listening and serving on {@code loop} alone: one event loop keeps a session's streams
     * together, and a connection accepted on the loop that serves it is not handed across threads.
     */
    public ServerBootstrap serverBootstrap(EventLoopGroup loop, boolean childAutoRead) {
        ServerBootstrap b = new ServerBootstrap()
                .group(loop, loop)
                .channel(serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.AUTO_READ, childAutoRead)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .handler(acceptBackoff);
        if (kind == Kind.NIO) {
            b.childOption(ChannelOption.SO_KEEPALIVE, true);
        } else {
            // Linux copies the listener's SO_KEEPALIVE into every socket it accepts: set once here, not
            // once per connection (a setsockopt per accept, ~2% of jfrps's CPU under short-lived
            // connections). Netty's server channels take it only as a raw option.
            b.option(LISTENER_KEEP_ALIVE, 1);
        }
        return b;
    }

    /** An outgoing connection with the data path's options. */
    public Bootstrap bootstrap(int connectTimeoutMillis) {
        return bootstrap(group, connectTimeoutMillis);
    }

    /** As above, on a chosen loop (a stream's local socket shares its session's loop). */
    public Bootstrap bootstrap(EventLoopGroup loop, int connectTimeoutMillis) {
        return new Bootstrap()
                .group(loop)
                .channelFactory(socketChannelFactory())
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .resolver(resolver);
    }

    /**
     * A UDP socket on {@code loop}: a proxy's public port (bound) or the client's socket to a UDP service
     * (connected). Each read takes one datagram of at most {@code packetSize} bytes (a longer one is cut,
     * as frp cuts it).
     */
    public Bootstrap datagramBootstrap(EventLoopGroup loop, int packetSize) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channelFactory(datagramChannelFactory());
        if (kind == Kind.EPOLL) {
            // recvmmsg: up to 16 datagrams in one system call, each a slice of one buffer. Under a flood
            // the reads, not the tunnel, were what dropped datagrams.
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, packetSize)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(packetSize * DATAGRAMS_PER_READ));
        } else {
            b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(packetSize));
        }
        return b.option(ChannelOption.SO_RCVBUF, 1024 * 1024)
                .option(ChannelOption.SO_SNDBUF, 1024 * 1024)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .resolver(resolver);
    }

    /** {@code host:port} resolved off the event loop (a slow DNS server must not stall {@code loop}). */
    public Future<InetSocketAddress> resolve(EventLoop loop, String host, int port) {
        return resolver.getResolver(loop).resolve(InetSocketAddress.createUnresolved(host, port));
    }

    /**
     * As {@link #datagramBootstrap}, with SO_REUSEPORT: several sockets on one port, each connected
     * socket then taking its own peer's datagrams (how the KCP port gives each client a channel).
     */
    public Bootstrap reusePortDatagramBootstrap(EventLoopGroup loop, int packetSize) {
        Bootstrap b = datagramBootstrap(loop, packetSize);
        return switch (kind) {
            case IO_URING -> b.option(io.netty.channel.uring.IoUringChannelOption.SO_REUSEPORT, true);
            case EPOLL -> b.option(EpollChannelOption.SO_REUSEPORT, true);
            case NIO -> b.option(io.netty.channel.socket.nio.NioChannelOption.of(java.net.StandardSocketOptions.SO_REUSEPORT), true);
        };
    }

    private static final int DATAGRAMS_PER_READ = 16;

    private ChannelFactory<DatagramChannel> datagramChannelFactory() {
        return switch (kind) {
            case IO_URING -> IoUringDatagramChannel::new;
            case EPOLL -> EpollDatagramChannel::new;
            case NIO -> NioDatagramChannel::new;
        };
    }

    public Future<?> shutdown() {
        Future<?> f = group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        f.addListener(x -> resolver.close());
        return f;
    }

    @Override
    public void close() {
        shutdown().syncUninterruptibly();
    }
}
