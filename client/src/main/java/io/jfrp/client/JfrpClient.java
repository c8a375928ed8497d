package io.jfrp.client;

import io.jfrp.client.plugin.Plugins;
import io.jfrp.core.centre.EtcdDocuments;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ConfigException;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.config.ProxyStore;
import io.jfrp.core.lifecycle.LifecycleListener;
import io.jfrp.core.net.NettyTransport;
import io.jfrp.core.tls.TlsContexts;
import io.jfrp.protocol.Wire;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** jfrpc as a library: {@code JfrpClient.start(config)} runs the control loop until {@link #close()}. */
public final class JfrpClient implements AutoCloseable {

    public static final String VERSION = Wire.SOFTWARE_VERSION;

    private final NettyTransport transport;
    private final ControlLoop loop;
    private final RunIdStore store;
    /** The proxies' plugins, on the transport's loops. */
    private final Plugins plugins;
    private volatile AdminServer admin;
    /** The config file's watch (autoReload); null without one. */
    private volatile ConfigWatch watch;
    /** The config centre's documents (configSource.etcd); null without one. */
    private volatile EtcdDocuments etcd;
    /** The client's TLS context, released at close when it is its own; null without TLS. */
    private final SslContext ssl;
    /** False in a {@link ClientFleet}: the loops and the TLS context are the fleet's to close. */
    private final boolean ownsLoopsAndTls;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private final ClientConfig config;
    /** How a new config is applied, and the proxies in force. */
    private final ClientReload reload;

    private JfrpClient(NettyTransport transport, ControlLoop loop, RunIdStore store, ClientConfig config, SslContext ssl,
                       Plugins plugins, ProxyStore proxyStore, boolean ownsLoopsAndTls) {
        this.ownsLoopsAndTls = ownsLoopsAndTls;
        this.reload = new ClientReload(config, loop, plugins, proxyStore);
        this.plugins = plugins;
        this.ssl = ssl;
        this.transport = transport;
        this.loop = loop;
        this.store = store;
        this.config = config;
    }

    /**
     * Applies the proxies of {@code next}, as frp's reload does: removed and changed proxies close, added
     * and changed ones open, unchanged ones and their connections are not touched; the log level and the
     * timings apply too (see {@link ClientReload}); other settings take a restart, and a reload that
     * changes them says so.
     * @return what changed
     */
    public String reload(ClientConfig next) {
        return reload.reload(next);
    }

    /**
     * Reads the config file again and applies it (the admin API's reload, SIGHUP, autoReload).
     * @return what changed
     * @throws IllegalArgumentException with every problem of the file when it is not valid: nothing changes
     */
    public String reloadFile() {
        return reload.reloadFile();
    }

    /**
     * {@code jfrpc rollback}: puts back, over {@code configFile}, the newest config a client of it applied
     * that is not the file as it is now (the file replaced is kept beside it, {@code .before-rollback}).
     * @return what was done
     * @throws IOException when there is nothing to return to, or the file cannot be written
     */
    public static String rollbackFile(java.nio.file.Path configFile, java.nio.file.Path appliedDir) throws IOException {
        return ClientReload.rollbackFile(configFile, appliedDir);
    }

    /** The admin API's view of this client. */
    private final class Actions implements AdminActions {
        @Override
        public ClientStatus status() {
            return loop.status();
        }

        @Override
        public java.util.Collection<io.jfrp.core.config.ProxyConfig> proxies() {
            return loop.proxyConfigs();
        }

        @Override
        public String serverHost() {
            return config.serverAddr();
        }

        @Override
        public java.nio.file.Path configFile() {
            java.nio.file.Path p = java.nio.file.Path.of(config.source());
            return java.nio.file.Files.isRegularFile(p) ? p : null;
        }

        @Override
        public void stop() {
            close();
        }

        @Override
        public ProxyStore store() {
            return reload.store();
        }

        @Override
        public boolean inConfigFile(String name) {
            return reload.inConfigFile(name);
        }

        @Override
        public String storeChanged() {
            return reload.storeChanged();
        }

        @Override
        public String reload() {
            return reloadFile();
        }
    }

    /**
     * Starts the client. With a state file (the default for a config file) the runId is the one kept
     * there; a second client on the same state file is refused.
     */
    public static JfrpClient start(ClientConfig config) throws IOException {
        return start(config, LifecycleListener.NONE);
    }

    /**
     * A client that also reports its session, proxies and streams to {@code listener}, on its event
     * loop (so it must be quick and must not block).
     */
    public static JfrpClient start(ClientConfig config, LifecycleListener listener) throws IOException {
        return start(config, listener, null, null);
    }

    /**
     * @param shared the fleet's event loops, or null for loops of its own
     * @param sharedSsl the fleet's TLS context for this config's TLS settings (with {@code shared} only)
     */
    static JfrpClient start(ClientConfig config, LifecycleListener listener, NettyTransport shared, SslContext sharedSsl)
            throws IOException {
        boolean own = shared == null;
        ProxyStore proxyStore;
        try {
            proxyStore = config.storeFile() == null ? null : ProxyStore.open(config.storeFile());
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        EtcdDocuments etcd = null;
        if (config.configSource() != null) {
            java.nio.file.Path file = java.nio.file.Path.of(config.source());
            etcd = EtcdDocuments.open(config.configSource(), file, config.stateFile() == null ? null
                    : config.stateFile().resolveSibling(file.getFileName() + ".etcd.json"), "jfrpc-etcd");
            ClientConfig base = config;
            ClientConfig with = etcd.start(docs -> withDocuments(base, docs));
            config = with == null ? config : with;
        }
        ClientConfig fileConfig = config;
        config = config.withProxies(ClientReload.withStore(config.proxies(), proxyStore));
        SslContext ssl = !config.tls().enable() ? null
                : own ? TlsContexts.client(config.tls(), config.knownServersFile()) : sharedSsl;
        RunIdStore store;
        try {
            store = config.stateFile() == null ? null : RunIdStore.open(config.stateFile());
        } catch (IOException | RuntimeException e) {
            // Another client holds the state file: this one never starts, and its context goes now.
            if (own) {
                TlsContexts.release(ssl);
            }
            throw e;
        }
        // frp's clientID names the client to the server for good: it is the runId, kept or not.
        String runId = !config.clientId().isEmpty() ? config.clientId()
                : store == null ? RunIdStore.newRunId() : store.runId();
        NettyTransport transport = own ? NettyTransport.create("jfrpc", 0) : shared;
        Plugins plugins;
        try {
            plugins = Plugins.start(transport, config.proxies());
        } catch (IOException | RuntimeException e) {
            if (own) {
                transport.close();
                TlsContexts.release(ssl);
            }
            if (store != null) {
                store.close();
            }
            throw e;
        }
        ClientStreams streams = new ClientStreams();
        ControlLoop loop = new ControlLoop(config, transport, ssl, runId, LifecycleListener.all(List.of(streams, listener)),
                plugins);
        if (store != null) {
            loop.keepSessionSecret(store.sessionSecret(runId), secret -> store.sessionSecret(runId, secret));
            String server = config.serverAddr() + ":" + config.serverPort();
            loop.rememberTransport(store.transport(server), protocol -> store.transport(server, protocol));
        }
        JfrpClient client = new JfrpClient(transport, loop, store, fileConfig, ssl, plugins, proxyStore, own);
        if (config.admin() != null) {
            try {
                AdminActions actions = client.new Actions();
                ClientMetrics metrics = new ClientMetrics(actions, streams, config.user().isEmpty() ? "" : config.user() + ".");
                loop.observeRtt(metrics::observeRtt);
                client.admin = AdminServer.start(config.admin(), actions, metrics);
            } catch (IOException e) {
                client.close();
                throw e;
            }
        }
        if (fileConfig.autoReload() && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(fileConfig.source()))) {
            try {
                client.watch = ConfigWatch.start(java.nio.file.Path.of(fileConfig.source()), client::reloadFile);
            } catch (IOException e) {
                client.close();
                throw new IOException("autoReload: cannot watch " + fileConfig.source() + ": " + e.getMessage(), e);
            }
        }
        loop.start();
        client.reload.keepApplied();
        if (etcd != null) {
            client.etcd = etcd;
            client.reload.following(etcd);
            etcd.follow(client.reload::applyDocuments);
        }
        return client;
    }

    /**
     * The file's config with the proxies of the config centre's documents; null when they have problems
     * (each logged): the client starts with the file's proxies, and the centre's next change is tried.
     */
    private static ClientConfig withDocuments(ClientConfig config, List<io.jfrp.core.config.ConfigDocument> docs) {
        try {
            return config.withProxies(io.jfrp.core.config.ConfigLoader.client(java.nio.file.Path.of(config.source()), docs)
                    .config().proxies());
        } catch (ConfigException e) {
            org.slf4j.LoggerFactory.getLogger(JfrpClient.class).error("config source {}: its documents are not applied, "
                    + "the file's proxies only until they are fixed: {}", config.configSource().describe(), e.getMessage());
            return null;
        }
    }

    public ClientStatus status() {
        return loop.status();
    }

    /** The admin API's port, or -1 when webServer.port is not set. */
    public int adminPort() {
        AdminServer a = admin;
        return a == null ? -1 : a.port();
    }

    public String runId() {
        return loop.runId();
    }

    /** Completes when the client stops; exceptionally when it gave up (loginFailExit). */
    public CompletableFuture<String> terminated() {
        return loop.terminated();
    }

    @Override
    public void close() {
        // Twice is normal: POST /api/stop closes the client, then the process's shutdown hook does.
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (admin != null) {
            admin.close();
        }
        if (etcd != null) {
            etcd.close();
        }
        if (watch != null) {
            watch.close();
        }
        try {
            loop.stop().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        plugins.close();
        if (ownsLoopsAndTls) {
            transport.close();
            // After the loops: no handshake can start with it any more.
            TlsContexts.release(ssl);
        }
        if (store != null) {
            try {
                store.close();
            } catch (IOException e) {
                // the lock goes with the process anyway
            }
        }
    }
}
