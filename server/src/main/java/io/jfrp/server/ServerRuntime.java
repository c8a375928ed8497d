package io.jfrp.server;

import io.jfrp.core.config.ServerConfig;
import io.jfrp.core.lifecycle.LifecycleListener;
import io.jfrp.core.log.LogLimiter;
import io.jfrp.core.mux.MemoryBudget;
import io.jfrp.core.net.NettyTransport;
import io.netty.handler.ssl.SslContext;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/** What every handler of one server shares; passed in, never looked up. */
final class ServerRuntime {
    /** Replaced by a server reload ({@link ServerReload}); read it once per decision. */
    volatile ServerConfig config;
    final NettyTransport transport;
    final SslContext ssl;
    final SessionRegistry registry = new SessionRegistry();
    final UserAccounts users;
    /** Names that route CONNECTs on the tcpmux port to proxies, across every session. */
    final DomainRoutes tcpmuxRoutes = new DomainRoutes();
    /** Names and paths that route requests on the vhost HTTP port to proxies, across every session. */
    final DomainRoutes httpRoutes = new DomainRoutes();
    /** Names that route TLS connections on the vhost HTTPS port (by their ClientHello's server name). */
    final DomainRoutes httpsRoutes = new DomainRoutes();
    /** Load-balancing groups of tcp proxies, whose members share a port. */
    final TcpGroups tcpGroups = new TcpGroups(this);
    /** The vhostHTTPSPort as bound; 0 while there is none. */
    volatile int httpsPort;
    /** Open connections of the ports that route by name (vhost http/https, tcpmux): closed with the server. */
    final io.netty.channel.group.ChannelGroup routedUsers =
            new io.netty.channel.group.DefaultChannelGroup("routed users", io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE);
    /** The tcpmuxHTTPConnectPort as bound; 0 while there is none. */
    volatile int tcpmuxPort;
    /** The vhostHTTPPort as bound; 0 while there is none. */
    volatile int httpPort;
    final LogLimiter peerProblems = new LogLimiter(Duration.ofSeconds(60));
    /** Failed logins by source address: guessing a token costs time. */
    final LoginThrottle<java.net.InetAddress> loginThrottle = LoginThrottle.perAddress();
    final LoginThrottle<String> userThrottle = LoginThrottle.perUser();
    /** Refused logins by reason, and the latest few. */
    final LoginFailures loginFailures = new LoginFailures();
    final SecureRandom random = new SecureRandom();
    /** What all sessions' streams may hold for their users together, and each session alone. */
    final MemoryBudget memory = MemoryBudget.forThisJvm();
    /** Where sessions, proxies and streams report what happens to them: the log, then the embedder's listener. */
    final LifecycleListener events;
    /** Ports this host gives outgoing connections: a fixed proxy port among them is warned about. */
    final EphemeralPorts ephemeral = EphemeralPorts.ofThisHost();
    /** Set when the server shuts down: sessions then end at once instead of waiting for their clients. */
    volatile boolean stopping;

    /**
     * Listens on {@code port} (0 or {@code VhostSettings.ANY_PORT}: any) of the proxy bind address for one
     * of the ports that route by name; each connection is kept in {@link #routedUsers} and gets
     * {@code install}'s handlers.
     */
    io.netty.channel.ChannelFuture bindRouted(int port, java.util.function.Consumer<io.netty.channel.ChannelPipeline> install) {
        return transport.serverBootstrap(true)
                .childHandler(new io.netty.channel.ChannelInitializer<io.netty.channel.socket.SocketChannel>() {
                    @Override
                    protected void initChannel(io.netty.channel.socket.SocketChannel user) {
                        routedUsers.add(user);
                        install.accept(user.pipeline());
                    }
                })
                .bind(config.proxyBindAddr(), Math.max(0, port));
    }

    ServerRuntime(ServerConfig config, NettyTransport transport, SslContext ssl, LifecycleListener listener) {
        this.config = config;
        this.transport = transport;
        this.ssl = ssl;
        this.users = new UserAccounts(config);
        this.events = LifecycleListener.all(List.of(new SessionLog(config.proxyBindAddr(), peerProblems, () -> stopping), listener));
    }

    ServerRuntime(ServerConfig config, NettyTransport transport, SslContext ssl) {
        this(config, transport, ssl, LifecycleListener.NONE);
    }
}
