package io.jfrp.client;

import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.config.UdpProxyConfig;
import io.jfrp.core.lifecycle.LifecycleEvent;
import io.jfrp.core.lifecycle.LifecycleListener;
import io.jfrp.core.log.LogLimiter;
import io.jfrp.core.mux.MuxSession;
import io.jfrp.core.mux.StreamRelay;
import io.jfrp.client.plugin.Plugins;
import io.jfrp.core.net.DomainSockets;
import io.jfrp.core.net.NettyTransport;
import io.jfrp.protocol.Message;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens the local service's socket for each stream the server opens, on the session's event loop: a
 * TCP connection, or for a UDP proxy a datagram socket connected to the service (one per user address).
 * A refused dial fails the stream at once, so the user's connection closes instead of hanging.
 */
final class LocalDialer implements MuxSession.StreamListener {

    private static final Logger log = LoggerFactory.getLogger(LocalDialer.class);
    static final int LOCAL_CONNECT_TIMEOUT_MILLIS = 5000;
    /** Every local socket gets its relay when it is born (ChannelInitializer is sharable). */
    private static final ChannelInitializer<Channel> RELAY = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel ch) {
            ch.pipeline().addLast("relay", new StreamRelay());
        }
    };

    private final NettyTransport transport;
    private final ProxySet proxies;
    private final String userPrefix;
    private final ProxyTable table;
    private final String runId;
    private final LifecycleListener events;
    private final LogLimiter limiter = new LogLimiter(Duration.ofSeconds(60));
    /** Per proxy: its address, resolved once when localIP is a literal (a host name is resolved per dial). */
    private final Map<String, InetSocketAddress> targets = new HashMap<>();
    /** Reused for every dial on one loop: a busy proxy opens thousands of local sockets a second. */
    private Bootstrap bootstrap;
    private EventLoop bootstrapLoop;
    /** The proxies' plugins, which some streams dial instead of a service. */
    private final Plugins plugins;
    private Bootstrap domainBootstrap;
    private EventLoop domainBootstrapLoop;
    private Bootstrap datagramBootstrap;
    private EventLoop datagramBootstrapLoop;
    private int datagramPacketSize;

    LocalDialer(NettyTransport transport, ProxySet proxies, String user, ProxyTable table,
                String runId, LifecycleListener events, Plugins plugins) {
        this.transport = transport;
        this.plugins = plugins;
        this.proxies = proxies;
        this.userPrefix = user.isEmpty() ? "" : user + ".";
        this.table = table;
        this.runId = runId;
        this.events = events;
    }

    @Override
    public void onStreamOpened(String proxyName, int streamId, String userAddress) {
        events.on(new LifecycleEvent.StreamOpened(runId, proxyName, streamId, userAddress));
    }

    @Override
    public void onStreamClosed(String proxyName, int streamId, long bytesIn, long bytesOut, boolean broken) {
        events.on(new LifecycleEvent.StreamClosed(runId, proxyName, streamId, bytesIn, bytesOut, broken));
    }

    @Override
    public void onStreamOpen(MuxSession session, Message.StreamOpen open) {
        String name = open.proxyName().startsWith(userPrefix) ? open.proxyName().substring(userPrefix.length())
                : open.proxyName();
        ProxyConfig p = proxies.get(name);
        if (p == null) {
            session.rejectStream(open.streamId(), "the client has no proxy named " + name);
            return;
        }
        if (p.plugin() != null) {
            dialPlugin(session, open, name, p);
            return;
        }
        Bootstrap b = p instanceof UdpProxyConfig u ? datagramBootstrap(session.eventLoop(), u.packetSize())
                : bootstrap(session.eventLoop());
        b.connect(target(name, p))
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        if (!p.proxyProtocol().isEmpty()) {
                            sendProxyHeader(f.channel(), p, open);
                        }
                        session.acceptStream(open, f.channel());
                        return;
                    }
                    refused(session, open, name, "local service " + p.localIP() + ":" + p.localPort(), f.cause());
                });
    }

    /**
     * A stream of a proxy with a plugin: to the plugin's socket, with the user's address first (the
     * plugin puts it in X-Forwarded-For or a PROXY header), or straight to the unix socket a
     * {@code unix_domain_socket} plugin names.
     */
    private void dialPlugin(MuxSession session, Message.StreamOpen open, String name, ProxyConfig p) {
        SocketAddress at = plugins == null ? null : plugins.address(p);
        String what = p.plugin().type().equals("unix_domain_socket") ? "unix socket " + p.plugin().unixPath()
                : "plugin " + p.plugin().type();
        if (at == null) {
            refused(session, open, name, what, new IOException("it is not running"));
            return;
        }
        EventLoop loop = session.eventLoop();
        if (domainBootstrap == null || domainBootstrapLoop != loop) {
            domainBootstrap = DomainSockets.client(transport, loop, LOCAL_CONNECT_TIMEOUT_MILLIS)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(RELAY);
            domainBootstrapLoop = loop;
        }
        Bootstrap b = at instanceof InetSocketAddress ? bootstrap(loop) : domainBootstrap;
        b.connect(at).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                refused(session, open, name, what, f.cause());
                return;
            }
            if (Plugins.wantsUserAddress(p)) {
                f.channel().writeAndFlush(ProxyProtocolHeader.encode("v2", false, open.user(), table.remotePort(p.name())),
                        f.channel().voidPromise());
            } else if (!p.proxyProtocol().isEmpty()) {
                sendProxyHeader(f.channel(), p, open);
            }
            session.acceptStream(open, f.channel());
        });
    }

    private void refused(MuxSession session, Message.StreamOpen open, String name, String what, Throwable c) {
        // Some failures carry no message (NotYetConnectedException, seen once in CI): name them.
        String reason = what + " unreachable: " + (c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName());
        table.error(name, reason);
        events.on(new LifecycleEvent.StreamRefused(runId, open.proxyName(), open.userAddress(), reason));
        String suffix = limiter.admit(name);
        if (suffix != null) {
            log.warn("proxy {}: user connection from {} closed: {}{}", name, open.userAddress(), reason, suffix);
        }
        session.rejectStream(open.streamId(), reason);
    }

    private Bootstrap bootstrap(EventLoop loop) {
        if (bootstrap == null || bootstrapLoop != loop) {
            bootstrap = transport.bootstrap(loop, LOCAL_CONNECT_TIMEOUT_MILLIS)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(RELAY);
            bootstrapLoop = loop;
        }
        return bootstrap;
    }

    /**
     * The PROXY protocol header with the user's address: on a TCP socket written now, ahead of anything
     * the stream sends (on the same loop, so in order); on a UDP socket, in front of every datagram.
     */
    private void sendProxyHeader(Channel local, ProxyConfig p, Message.StreamOpen open) {
        boolean udp = p instanceof UdpProxyConfig;
        ByteBuf header = ProxyProtocolHeader.encode(p.proxyProtocol(), udp, open.user(), table.remotePort(p.name()));
        if (udp) {
            local.pipeline().addFirst("proxy-protocol", new ProxyProtocolHeader.DatagramPrefix(header));
        } else {
            local.writeAndFlush(header, local.voidPromise());
        }
    }

    /** A connected UDP socket per user address, so the service's replies reach that user alone. */
    private Bootstrap datagramBootstrap(EventLoop loop, int packetSize) {
        if (datagramBootstrap == null || datagramBootstrapLoop != loop || datagramPacketSize != packetSize) {
            datagramBootstrap = transport.datagramBootstrap(loop, packetSize)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(RELAY);
            datagramBootstrapLoop = loop;
            datagramPacketSize = packetSize;
        }
        return datagramBootstrap;
    }

    private InetSocketAddress target(String name, ProxyConfig p) {
        InetSocketAddress cached = targets.get(name);
        if (cached != null) {
            return cached;
        }
        InetSocketAddress a = address(p);
        if (!a.isUnresolved()) {
            targets.put(name, a);
        }
        return a;
    }

    /** The local service's address: a literal as it is, a host name unresolved (the transport resolves it per dial). */
    static InetSocketAddress address(ProxyConfig p) {
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(p.localIP());
        return literal != null ? new InetSocketAddress(literal, p.localPort())
                : InetSocketAddress.createUnresolved(p.localIP(), p.localPort());
    }
}
