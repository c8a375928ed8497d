package io.jfrp.client.plugin;

import io.jfrp.core.config.PluginConfig;
import io.jfrp.core.log.LogLimiter;
import io.jfrp.core.net.DomainSockets;
import io.jfrp.core.net.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One proxy's plugin: listens on a unix socket for the proxy's streams, ends the users' TLS if it is
 * one that does, edits HTTP requests if it is an HTTP one, and joins each connection to one of its own
 * to the service at {@code localAddr} (over TLS for the *2https ones).
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
    private final InetSocketAddress service;
    private final SocketAddress address;
    private final LogLimiter limiter = new LogLimiter(Duration.ofSeconds(60));
    private Channel listener;

    PluginServer(String proxy, PluginConfig config, String proxyProtocol, NettyTransport io, SslContext userTls,
                 SslContext serviceTls, Path socket) {
        this.proxy = proxy;
        this.config = config;
        this.proxyProtocol = proxyProtocol;
        this.io = io;
        this.userTls = userTls;
        this.serviceTls = serviceTls;
        int colon = config.localAddr().lastIndexOf(':');
        String host = config.localAddr().substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        this.service = InetSocketAddress.createUnresolved(host, Integer.parseInt(config.localAddr().substring(colon + 1)));
        this.address = DomainSockets.address(io, socket);
    }

    /** Listens; the caller waits (a unix socket binds at once, or fails with why). */
    void start() {
        listener = DomainSockets.server(io, io.group())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("user", new HAProxyMessageDecoder());
                        if (userTls != null) {
                            p.addLast("tls", userTls.newHandler(ch.alloc()));
                        }
                        if (config.speaksHttp()) {
                            p.addLast("http", new HttpServerCodec(4096, 16 * 1024, 16 * 1024));
                        }
                        p.addLast("front", new PluginFront(PluginServer.this));
                    }
                })
                .bind(address).syncUninterruptibly().channel();
    }

    SocketAddress address() {
        return address;
    }

    PluginConfig config() {
        return config;
    }

    InetSocketAddress serviceAddress() {
        return service;
    }

    String serviceName() {
        return config.localAddr();
    }

    /** The user's side, once its address is known: an HTTP plugin edits requests (the address goes into them). */
    void addUserHandlers(ChannelPipeline p, String before, HAProxyMessage user) {
        if (config.speaksHttp()) {
            p.addBefore(before, "edit", new RequestEditor(config, user.sourceAddress() == null ? "" : user.sourceAddress()));
        }
    }

    /** The service's side of one user connection on the user's loop (the two are spliced with no hop). */
    Bootstrap serviceBootstrap(Channel user, HAProxyMessage userAddress) {
        ServiceHeader header = proxyProtocol.isEmpty() ? null : new ServiceHeader(proxyProtocol, userAddress);
        return io.bootstrap(user.eventLoop(), CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (header != null) {
                            p.addLast(ServiceHeader.ENCODER, ServiceHeader.encoder());
                            p.addLast("proxy-protocol", header);
                        }
                        if (serviceTls != null) {
                            p.addLast("tls", serviceTls.newHandler(ch.alloc(), service.getHostString(), service.getPort()));
                        }
                        if (config.speaksHttp()) {
                            p.addLast("http", new HttpClientCodec(4096, 16 * 1024, 16 * 1024));
                            p.addLast("upgrade", new UpgradeSwitch(user));
                        }
                        p.addLast("splice", new Splice(user));
                    }
                });
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
