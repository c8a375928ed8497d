package io.jfrp.client.plugin;

import io.jfrp.core.config.PluginConfig;
import io.jfrp.core.log.LogLimiter;
import io.jfrp.core.net.DomainSockets;
import io.jfrp.core.net.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One proxy's plugin: listens on a unix socket for the proxy's streams. A bridging plugin ends the users'
 * TLS if it is one that does, edits HTTP requests if it is an HTTP one, and joins each connection to one
 * of its own to the service at {@code localAddr} (over TLS for the *2https ones); http_proxy and socks5
 * join it to what the user asks for; static_file answers from its directory.
 */
final class PluginServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginServer.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final String proxy;
    private final PluginConfig config;
    private final String proxyProtocol;
    private final NettyTransport io;
    private final SslContext userTls;
    private final SslContext serviceTls;
    /** The service a bridging plugin joins users to: host:port, or (unix_domain_socket under NIO) a socket path. */
    private final SocketAddress service;
    /** Where it listens: a unix socket, or a loopback TCP port under NIO (known once bound). */
    private SocketAddress address;
    private final LogLimiter limiter = new LogLimiter(Duration.ofSeconds(60));
    private final UserCheck users;
    private Channel listener;

    /** @param socket the unix socket to listen on; null to listen on a loopback TCP port */
    PluginServer(String proxy, PluginConfig config, String proxyProtocol, NettyTransport io, SslContext userTls,
                 SslContext serviceTls, Path socket) {
        this.proxy = proxy;
        this.config = config;
        this.proxyProtocol = proxyProtocol;
        this.io = io;
        this.userTls = userTls;
        this.serviceTls = serviceTls;
        this.users = new UserCheck(config.user(), config.password());
        if (config.bridges()) {
            int colon = config.localAddr().lastIndexOf(':');
            String host = config.localAddr().substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            this.service = InetSocketAddress.createUnresolved(host, Integer.parseInt(config.localAddr().substring(colon + 1)));
        } else if (!config.unixPath().isEmpty()) {
            this.service = DomainSockets.address(io, Path.of(config.unixPath()));
        } else {
            this.service = null;
        }
        this.address = socket == null ? new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0)
                : DomainSockets.address(io, socket);
    }

    /** Listens; the caller waits (a unix socket binds at once, or fails with why). */
    void start() {
        io.netty.bootstrap.ServerBootstrap b = address instanceof InetSocketAddress ? io.serverBootstrap(true)
                : DomainSockets.server(io, io.group());
        listener = b.childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        DomainSockets.halfClosable(ch);
                        ChannelPipeline p = ch.pipeline();
                        switch (config.type()) {
                            case "http_proxy" -> {
                                p.addLast("http", new HttpServerCodec(4096, 16 * 1024, 16 * 1024));
                                p.addLast("http-proxy", new HttpProxyFront(PluginServer.this, users));
                                return;
                            }
                            case "socks5" -> {
                                Socks5Front.install(p, PluginServer.this, users);
                                return;
                            }
                            case "static_file" -> {
                                p.addLast("http", new HttpServerCodec(4096, 16 * 1024, 16 * 1024));
                                p.addLast("chunks", new ChunkedWriteHandler());
                                p.addLast("files", new StaticFiles(config, users));
                                return;
                            }
                            case "unix_domain_socket" -> {
                                // Only under NIO: bytes as they are, to the unix socket.
                                p.addLast("front", new PluginFront(PluginServer.this, true));
                                return;
                            }
                            default -> {
                                // The bridging plugins, below.
                            }
                        }
                        p.addLast("user", new HAProxyMessageDecoder());
                        if (userTls != null) {
                            p.addLast("tls", userTls.newHandler(ch.alloc()));
                        }
                        if (config.speaksHttp()) {
                            p.addLast("http", new HttpServerCodec(4096, 16 * 1024, 16 * 1024));
                        }
                        p.addLast("front", new PluginFront(PluginServer.this, false));
                    }
                })
                .bind(address).syncUninterruptibly().channel();
        address = listener.localAddress();
    }

    SocketAddress address() {
        return address;
    }

    PluginConfig config() {
        return config;
    }

    SocketAddress serviceAddress() {
        return service;
    }

    String serviceName() {
        return config.bridges() ? config.localAddr() : config.unixPath();
    }

    /** The user's side, once its address is known: an HTTP plugin edits requests (the address goes into them). */
    void addUserHandlers(ChannelPipeline p, String before, HAProxyMessage user) {
        if (config.speaksHttp()) {
            p.addBefore(before, "edit", new RequestEditor(config, user.sourceAddress() == null ? "" : user.sourceAddress()));
        }
    }

    /** The service's side of one user connection on the user's loop (the two are spliced with no hop). */
    Bootstrap serviceBootstrap(Channel user, HAProxyMessage userAddress) {
        ServiceHeader header = proxyProtocol.isEmpty() || userAddress == null ? null
                : new ServiceHeader(proxyProtocol, userAddress);
        Bootstrap b = service instanceof InetSocketAddress ? io.bootstrap(user.eventLoop(), CONNECT_TIMEOUT_MILLIS)
                : DomainSockets.client(io, user.eventLoop(), CONNECT_TIMEOUT_MILLIS);
        return b.option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (header != null) {
                            p.addLast(ServiceHeader.ENCODER, ServiceHeader.encoder());
                            p.addLast("proxy-protocol", header);
                        }
                        if (serviceTls != null) {
                            InetSocketAddress at = (InetSocketAddress) service;
                            p.addLast("tls", serviceTls.newHandler(ch.alloc(), at.getHostString(), at.getPort()));
                        }
                        if (config.speaksHttp()) {
                            p.addLast("http", new HttpClientCodec(4096, 16 * 1024, 16 * 1024));
                            p.addLast("upgrade", new UpgradeSwitch(user));
                        }
                        p.addLast("splice", new Splice(user));
                    }
                });
    }

    /**
     * A connection to {@code host:port} for a user of http_proxy or socks5, on the user's loop; {@code init}
     * fills its pipeline. Reads start off: the caller starts them once both sides are joined.
     */
    ChannelFuture dial(Channel user, String host, int port, Consumer<ChannelPipeline> init) {
        return io.bootstrap(user.eventLoop(), CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        init.accept(ch.pipeline());
                    }
                })
                .connect(InetSocketAddress.createUnresolved(host, port));
    }

    /** One line per failing spell, then a count: a dead service under load must not flood the log. */
    void serviceUnreachable(String why) {
        String suffix = limiter.admit(proxy);
        if (suffix != null) {
            log.warn("proxy {}: {}{}", proxy, why, suffix);
        }
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
    }
}
