package io.jfrp.server;

import io.jfrp.core.centre.EtcdDocuments;
import io.jfrp.core.config.ConfigDocument;
import io.jfrp.core.config.ServerConfig;
import io.jfrp.core.config.VhostSettings;
import io.jfrp.core.lifecycle.LifecycleListener;
import io.jfrp.core.log.PeerText;
import io.jfrp.core.net.NettyTransport;
import io.jfrp.core.tls.Fingerprints;
import io.jfrp.core.tls.SelfSignedCertificate;
import io.jfrp.core.tls.TlsContexts;
import io.jfrp.core.transport.KcpTransport;
import io.jfrp.core.transport.QuicTransport;
import io.jfrp.protocol.Wire;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** jfrps as a library: {@code JfrpServer.start(config)} listens; {@link #close()} stops everything it started. */
public final class JfrpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JfrpServer.class);
    public static final String VERSION = Wire.SOFTWARE_VERSION;

    private final ServerRuntime rt;
    private final Channel listener;
    private final String fingerprint;
    /** frp's webServer (healthz, serverinfo, proxies); null when webServer.port is not set. */
    private final ServerWeb web;
    /** The tcpmuxHTTPConnectPort listener; null when not set. */
    private final Channel tcpmux;
    /** The vhostHTTPPort listener; null when not set. */
    private final Channel vhostHttp;
    /** The vhostHTTPSPort listener; null when not set. */
    private final Channel vhostHttps;
    /** The quicBindPort's UDP socket; null when not set. */
    private final Channel quic;
    /** The kcpBindPort's first UDP socket (each client has one more); null when not set. */
    private final Channel kcp;
    /** The config centre's users (configSource.etcd); null without one. */
    private volatile EtcdDocuments etcd;

    private JfrpServer(ServerRuntime rt, Channel listener, String fingerprint, ServerWeb web, Channel tcpmux,
                       Channel vhostHttp, Channel vhostHttps, Channel quic, Channel kcp) {
        this.quic = quic;
        this.kcp = kcp;
        this.tcpmux = tcpmux;
        this.vhostHttp = vhostHttp;
        this.vhostHttps = vhostHttps;
        this.rt = rt;
        this.listener = listener;
        this.fingerprint = fingerprint;
        this.web = web;
    }

    public static JfrpServer start(ServerConfig config) throws IOException {
        return start(config, LifecycleListener.NONE);
    }

    /**
     * A server that also reports every session, proxy and stream event to {@code listener}, on the
     * session's event loop (so it must be quick and must not block).
     */
    public static JfrpServer start(ServerConfig config, LifecycleListener listener) throws IOException {
        EtcdDocuments etcd = null;
        if (config.configSource() != null) {
            etcd = EtcdDocuments.open(config.configSource(), Path.of(config.source()),
                    config.dataDir().resolve("etcd-users.json"), "jfrps-etcd");
            ServerConfig base = config;
            ServerConfig with = etcd.start(docs -> withDocuments(base, docs));
            config = with == null ? config : with;
        }
        try {
            JfrpServer server = listen(config, listener);
            if (etcd != null) {
                server.etcd = etcd;
                etcd.follow(server::applyDocuments);
            }
            return server;
        } catch (IOException | RuntimeException e) {
            if (etcd != null) {
                etcd.close();
            }
            throw e;
        }
    }

    /**
     * The config with the users of the config centre's documents; null when they have problems (each
     * logged): the server starts with the file's users, and the centre's next change is tried.
     */
    private static ServerConfig withDocuments(ServerConfig config, List<ConfigDocument> docs) {
        try {
            return config.withUsers(io.jfrp.core.config.ConfigLoader.server(Path.of(config.source()), docs).config().users());
        } catch (io.jfrp.core.config.ConfigException e) {
            log.error("config source {}: its documents are not applied, the file's users only until they are fixed: {}",
                    config.configSource().describe(), e.getMessage());
            return null;
        }
    }

    /** A change of the config centre's documents, read with the file and applied as a reload; false when refused. */
    private boolean applyDocuments(List<ConfigDocument> docs) {
        ServerConfig next;
        try {
            next = io.jfrp.core.config.ConfigLoader.server(Path.of(rt.config.source()), docs).config();
        } catch (io.jfrp.core.config.ConfigException e) {
            log.warn("config source change refused, nothing changed: {}", e.getMessage());
            return false;
        }
        synchronized (rt) {
            log.info("config source change applied: {}", ServerReload.apply(rt, next).summary());
        }
        return true;
    }

    private static JfrpServer listen(ServerConfig config, LifecycleListener listener) throws IOException {
        Path cert = config.tls().certFile();
        Path key = config.tls().keyFile();
        boolean made = false;
        if (cert == null) {
            made = SelfSignedCertificate.ensure(config.dataDir());
            cert = config.dataDir().resolve(SelfSignedCertificate.CERT_FILE);
            key = config.dataDir().resolve(SelfSignedCertificate.KEY_FILE);
        }
        SslContext ssl = TlsContexts.server(cert, key, config.tls().trustedCaFile());
        String fingerprint = Fingerprints.sha256(cert);
        NettyTransport transport = NettyTransport.create("jfrps", 0);
        ServerStats stats = new ServerStats();
        ServerRuntime rt = new ServerRuntime(config, transport, ssl, LifecycleListener.all(List.of(stats, listener)));
        // Control channels close on the peer's FIN; only stream sockets keep half-closed directions open.
        ChannelFuture bind = transport.serverBootstrap(true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, false)
                .childHandler(new ControlChannelInitializer(rt))
                .bind(config.bindAddr(), config.bindPort())
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            transport.close();
            TlsContexts.release(ssl);
            throw new IOException("cannot listen on " + config.bindAddr() + ":" + config.bindPort() + ": "
                    + bind.cause().getMessage(), bind.cause());
        }
        List<Channel> bound = new ArrayList<>(List.of(bind.channel()));
        Channel tcpmux = null;
        Channel vhostHttp = null;
        Channel vhostHttps = null;
        Channel quic = null;
        Channel kcp = null;
        try {
            if (config.vhost().tcpmuxHTTPConnectPort() != 0) {
                tcpmux = bindShared(TcpmuxPort.bind(rt), config.vhost().tcpmuxHTTPConnectPort(), "tcpmuxHTTPConnectPort",
                        config, bound);
                rt.tcpmuxPort = ((InetSocketAddress) tcpmux.localAddress()).getPort();
                log.info("tcpmux (HTTP CONNECT) on {}{}", tcpmux.localAddress(),
                        config.vhost().tcpmuxPassthrough() ? ", CONNECT passed through to the services" : "");
            }
            if (config.vhost().vhostHTTPPort() == config.bindPort() && config.bindPort() > 0) {
                rt.httpPort = config.bindPort();
                log.info("http proxies (virtual hosts) on the bind port {}, beside clients", config.bindPort());
            } else if (config.vhost().vhostHTTPPort() != 0) {
                vhostHttp = bindShared(VhostHttpPort.bind(rt), config.vhost().vhostHTTPPort(), "vhostHTTPPort", config, bound);
                rt.httpPort = ((InetSocketAddress) vhostHttp.localAddress()).getPort();
                log.info("http proxies (virtual hosts) on {}", vhostHttp.localAddress());
            }
            if (config.vhost().vhostHTTPSPort() == config.bindPort() && config.bindPort() > 0) {
                rt.httpsPort = config.bindPort();
                log.info("https proxies (by TLS server name) on the bind port {}, beside clients", config.bindPort());
            } else if (config.vhost().vhostHTTPSPort() != 0) {
                vhostHttps = bindShared(VhostHttpsPort.bind(rt), config.vhost().vhostHTTPSPort(), "vhostHTTPSPort", config,
                        bound);
                rt.httpsPort = ((InetSocketAddress) vhostHttps.localAddress()).getPort();
                log.info("https proxies (by TLS server name) on {}", vhostHttps.localAddress());
            }
            if (config.quicBindPort() != 0) {
                int wanted = config.quicBindPort() == VhostSettings.ANY_PORT ? 0 : config.quicBindPort();
                quic = bindShared(QuicTransport.bind(transport, transport.group(), config.bindAddr(), wanted,
                                TlsContexts.quicServer(cert, key), p -> ControlChannelInitializer.install(p, rt)),
                        config.bindAddr(), config.quicBindPort(), "quicBindPort", bound);
                log.info("QUIC clients on UDP {}", quic.localAddress());
            }
            if (config.kcpBindPort() != 0) {
                int wanted = config.kcpBindPort() == VhostSettings.ANY_PORT ? 0 : config.kcpBindPort();
                kcp = bindShared(KcpTransport.bind(transport, transport.group(), config.bindAddr(), wanted,
                                p -> ControlChannelInitializer.install(p, rt)),
                        config.bindAddr(), config.kcpBindPort(), "kcpBindPort", bound);
                log.info("KCP clients on UDP {}", kcp.localAddress());
            }
        } catch (IOException e) {
            bound.forEach(c -> c.close().awaitUninterruptibly());
            transport.close();
            TlsContexts.release(ssl);
            throw e;
        }
        // The web server answers reloads once the server it belongs to exists (just below).
        java.util.concurrent.atomic.AtomicReference<JfrpServer> self = new java.util.concurrent.atomic.AtomicReference<>();
        ServerWeb web = null;
        if (config.webServer() != null) {
            try {
                web = ServerWeb.start(() -> rt.config, ((InetSocketAddress) bind.channel().localAddress()).getPort(), stats,
                        rt.memory, rt.loginFailures, notAfter(cert), () -> {
                    JfrpServer s = self.get();
                    if (s == null) {
                        throw new IllegalArgumentException("the server is still starting");
                    }
                    return s.reloadFile();
                });
            } catch (IOException e) {
                bound.forEach(c -> c.close().awaitUninterruptibly());
                transport.close();
                TlsContexts.release(ssl);
                throw e;
            }
        }
        JfrpServer server = new JfrpServer(rt, bind.channel(), fingerprint, web, tcpmux, vhostHttp, vhostHttps, quic, kcp);
        self.set(server);
        // What peers did wrong and the log swallowed is counted once a minute even after they stopped: a
        // flood of bad logins that ends still shows how big it was.
        transport.group().next().scheduleAtFixedRate(() -> rt.peerProblems.overdue().forEach((kind, n) ->
                        log.warn("{} more of \"{}\" in the last minute than the log showed", n, PeerText.escape(kind))),
                1, 1, java.util.concurrent.TimeUnit.MINUTES);
        log.info("jfrps {} listening on {} ({}, TLS {}{})", VERSION, server.address(), transport.name(),
                config.tls().force() ? "required" : "optional", ", " + TlsContexts.provider());
        log.info("TLS certificate {} ({}), SHA-256 fingerprint {}; clients may pin it with transport.tls.serverFingerprint",
                cert, config.tls().certFile() != null ? "configured" : made ? "self-signed, made now" : "self-signed",
                fingerprint);
        return server;
    }

    /** When the certificate in {@code pem} expires (epoch seconds), for the metrics; 0 when it cannot be read. */
    private static long notAfter(Path pem) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(pem)) {
            return ((java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in)).getNotAfter().toInstant().getEpochSecond();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Waits for one of the server's shared ports to listen; @return its channel, kept in {@code bound} */
    private static Channel bindShared(ChannelFuture f, int configured, String key, ServerConfig config, List<Channel> bound)
            throws IOException {
        return bindShared(f, config.proxyBindAddr(), configured, key, bound);
    }

    private static Channel bindShared(ChannelFuture f, String addr, int configured, String key, List<Channel> bound)
            throws IOException {
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("cannot listen on " + addr + ":" + configured + " (" + key + "): "
                    + f.cause().getMessage(), f.cause());
        }
        bound.add(f.channel());
        return f.channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    public String certificateFingerprint() {
        return fingerprint;
    }

    /**
     * Applies a new config while clients stay connected (see {@link ServerReload}): what can change at
     * run time changes, sessions and proxies it forbids end with the reason sent to their clients.
     * @return what changed, and what waits for a restart
     */
    public String reload(ServerConfig next) {
        synchronized (rt) {
            return ServerReload.apply(rt, next).summary();
        }
    }

    /**
     * Reads the config file the server started from again and applies it (SIGHUP, the web server's
     * {@code /api/reload}, {@code jfrps reload}).
     * @throws IllegalArgumentException with every problem of the file when it is not valid: nothing changes
     */
    public String reloadFile() {
        java.nio.file.Path file = java.nio.file.Path.of(rt.config.source());
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("this server was not started from a config file");
        }
        EtcdDocuments centre = etcd;
        ServerConfig next;
        try {
            next = io.jfrp.core.config.ConfigLoader.server(file, centre == null ? List.of() : centre.applied()).config();
        } catch (io.jfrp.core.config.ConfigException e) {
            log.warn("reload of {} refused, nothing changed: {}", file, e.getMessage());
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        synchronized (rt) {
            return ServerReload.apply(rt, next).summary();
        }
    }

    /** Sessions held now: clients logged in, and clients away but within their grace period. */
    public int sessionCount() {
        return rt.registry.sessions().size();
    }

    /** Clients logged in on a live channel now. */
    public int connectedCount() {
        return (int) rt.registry.sessions().stream().filter(ClientSession::isAttached).count();
    }

    /** The tcpmuxHTTPConnectPort as bound ({@link io.jfrp.core.config.VhostSettings#ANY_PORT} picks one); -1 without one. */
    public int tcpmuxPort() {
        return tcpmux == null ? -1 : ((InetSocketAddress) tcpmux.localAddress()).getPort();
    }

    /** The vhostHTTPPort as bound ({@link io.jfrp.core.config.VhostSettings#ANY_PORT} picks one); -1 without one. */
    public int vhostHttpPort() {
        return vhostHttp != null ? ((InetSocketAddress) vhostHttp.localAddress()).getPort() : rt.httpPort > 0 ? rt.httpPort : -1;
    }

    /** The vhostHTTPSPort as bound ({@link io.jfrp.core.config.VhostSettings#ANY_PORT} picks one); -1 without one. */
    public int vhostHttpsPort() {
        return vhostHttps != null ? ((InetSocketAddress) vhostHttps.localAddress()).getPort() : rt.httpsPort > 0 ? rt.httpsPort : -1;
    }

    /** The quicBindPort as bound (UDP; {@link io.jfrp.core.config.VhostSettings#ANY_PORT} picks one); -1 without one. */
    public int quicPort() {
        return quic == null ? -1 : ((InetSocketAddress) quic.localAddress()).getPort();
    }

    /** The kcpBindPort as bound (UDP; {@link io.jfrp.core.config.VhostSettings#ANY_PORT} picks one); -1 without one. */
    public int kcpPort() {
        return kcp == null ? -1 : ((InetSocketAddress) kcp.localAddress()).getPort();
    }

    /** The port of the web server (webServer.port; 0 there picks one); -1 without one. */
    public int webServerPort() {
        return web == null ? -1 : web.port();
    }

    @Override
    public void close() {
        rt.stopping = true;
        if (etcd != null) {
            etcd.close();
        }
        if (web != null) {
            web.close();
        }
        if (vhostHttp != null) {
            vhostHttp.close().awaitUninterruptibly();
        }
        if (vhostHttps != null) {
            vhostHttps.close().awaitUninterruptibly();
        }
        if (tcpmux != null) {
            tcpmux.close().awaitUninterruptibly();
        }
        listener.close().awaitUninterruptibly();
        // Users of the shared ports that no stream holds yet (a request head on its way, a ClientHello).
        rt.routedUsers.close().awaitUninterruptibly();
        List<CompletableFuture<Void>> ended = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger proxiesClosed = new java.util.concurrent.atomic.AtomicInteger();
        for (ClientSession s : rt.registry.sessions()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            ended.add(done);
            s.onLoop(() -> {
                proxiesClosed.addAndGet(s.proxyCount());
                s.close("the server is stopping");
                done.complete(null);
            });
        }
        try {
            CompletableFuture.allOf(ended.toArray(new CompletableFuture[0]))
                    .get(5, TimeUnit.SECONDS);
            if (!ended.isEmpty()) {
                log.info("ended {} client sessions and their {} proxies (the server is stopping)", ended.size(),
                        proxiesClosed.get());
            }
        } catch (Exception e) {
            log.warn("{} of {} client sessions did not end within 5s; stopping anyway",
                    ended.stream().filter(f -> !f.isDone()).count(), ended.size());
        }
        // After the sessions: their goodbyes travel on these.
        if (quic != null) {
            quic.close().awaitUninterruptibly();
        }
        if (kcp != null) {
            kcp.close().awaitUninterruptibly();
        }
        rt.transport.close();
        TlsContexts.release(rt.ssl);
        log.info("jfrps stopped");
    }

}
