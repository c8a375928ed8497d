package io.jfrp.client;

import io.jfrp.client.plugin.Plugins;
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
    /** The client's TLS context, released at close; null without TLS. */
    private final SslContext ssl;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private final ClientConfig config;
    /** frp's store (store.path): proxies added through the admin API; null without one. */
    private final ProxyStore proxyStore;
    /** The proxies of the config file in force (the store's come on top). */
    private volatile List<ProxyConfig> fileProxies;

    private JfrpClient(NettyTransport transport, ControlLoop loop, RunIdStore store, ClientConfig config, SslContext ssl,
                       Plugins plugins, ProxyStore proxyStore) {
        this.proxyStore = proxyStore;
        this.fileProxies = config.proxies();
        this.plugins = plugins;
        this.ssl = ssl;
        this.transport = transport;
        this.loop = loop;
        this.store = store;
        this.config = config;
    }

    /**
     * Applies the proxies of {@code next}, as frp's reload does: removed and changed proxies close, added
     * and changed ones open, unchanged ones and their connections are not touched. Settings other than
     * proxies take a restart, as in frp; a reload that changes them says so.
     * @return what changed
     */
    public synchronized String reload(ClientConfig next) {
        return applyConfig(next).summary();
    }

    /** What a reload did: its words, and whether it was undone because the server refused part of it. */
    private record Applied(String summary, boolean rolledBack) {
    }

    private synchronized Applied applyConfig(ClientConfig next) {
        List<ProxyConfig> before = fileProxies;
        fileProxies = next.proxies();
        ProxySet.Diff d = apply(withStore(next.proxies(), proxyStore));
        List<String> refused = refusals(d);
        if (!refused.isEmpty()) {
            // The file asked for what the server will not give: back to the proxies that worked.
            fileProxies = before;
            apply(withStore(before, proxyStore));
            String why = String.join("; ", refused);
            org.slf4j.LoggerFactory.getLogger(JfrpClient.class).warn("reload rolled back, the proxies are as they were: {}",
                    why);
            return new Applied(d + "; rolled back, the proxies are as they were: " + why, true);
        }
        keepApplied();
        String timings = loop.timings(next).join();
        return new Applied(d + logLevelNote(next) + (timings.isEmpty() ? "" : "; applied " + timings)
                + fixedSettingsNote(next), false);
    }

    /**
     * A change of the config centre's documents, read with the file: applied as a reload is, or refused
     * whole when anything in it is wrong. @return whether it was applied (so the copy kept is now this)
     */
    private boolean applyDocuments(List<io.jfrp.core.config.ConfigDocument> docs) {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(JfrpClient.class);
        ClientConfig next;
        try {
            next = io.jfrp.core.config.ConfigLoader.client(java.nio.file.Path.of(config.source()), docs).config();
        } catch (ConfigException e) {
            log.warn("config source change refused, nothing changed: {}", e.getMessage());
            return false;
        }
        Applied a = applyConfig(next);
        log.info("config source change {}: {}", a.rolledBack() ? "rolled back" : "applied", a.summary());
        return !a.rolledBack();
    }

    /** The config file as it is now, kept among the applied ones {@code jfrpc rollback} returns to. */
    private void keepApplied() {
        java.nio.file.Path file = java.nio.file.Path.of(config.source());
        if (config.stateFile() == null || !java.nio.file.Files.isRegularFile(file)) {
            return;
        }
        try {
            new AppliedConfigs(config.appliedConfigsDir()).applied(java.nio.file.Files.readAllBytes(file));
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(JfrpClient.class).warn("cannot keep the applied config in {}: {}",
                    config.appliedConfigsDir(), e.getMessage());
        }
    }

    /**
     * {@code jfrpc rollback}: puts back, over {@code configFile}, the newest config a client of it applied
     * that is not the file as it is now (the file replaced is kept beside it, {@code .before-rollback}).
     * @return what was done
     * @throws IOException when there is nothing to return to, or the file cannot be written
     */
    public static String rollbackFile(java.nio.file.Path configFile, java.nio.file.Path appliedDir) throws IOException {
        byte[] now = java.nio.file.Files.readAllBytes(configFile);
        byte[] back = new AppliedConfigs(appliedDir).previous(now);
        if (back == null) {
            throw new IOException("no other config of " + configFile + " was applied (kept in " + appliedDir + ")");
        }
        java.nio.file.Path before = configFile.resolveSibling(configFile.getFileName() + ".before-rollback");
        java.nio.file.Files.write(before, now);
        java.nio.file.Path tmp = configFile.resolveSibling(configFile.getFileName() + ".rollback");
        java.nio.file.Files.write(tmp, back);
        java.nio.file.Files.move(tmp, configFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return configFile + " is the config applied before (the one replaced is " + before + ")";
    }

    /** How long a reload waits for the server's word on the proxies it added or changed before it keeps them. */
    static final long VERDICT_MILLIS = 10_000;

    /**
     * The proxies of {@code d} that the server refused, with why; empty when it took them all, or when it
     * cannot say now (no session: they are registered when it is back).
     */
    private List<String> refusals(ProxySet.Diff d) {
        List<String> names = new java.util.ArrayList<>();
        d.added().forEach(p -> names.add(p.name()));
        d.changed().forEach(p -> names.add(p.name()));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(VERDICT_MILLIS);
        // The verdicts arrive on the event loop; this thread (the admin API's, the watch's, SIGHUP's) may wait.
        while (!names.isEmpty() && System.nanoTime() < deadline) {
            ClientStatus st = loop.status();
            if (st.state() != ClientState.CONNECTED) {
                return List.of();
            }
            List<String> refused = new java.util.ArrayList<>();
            boolean pending = false;
            for (String n : names) {
                ClientStatus.Proxy p = st.proxy(n);
                if (p == null || p.state() == ProxyState.PENDING) {
                    pending = true;
                } else if (p.state() == ProxyState.REFUSED) {
                    refused.add("proxy " + n + ": " + p.lastError());
                }
            }
            if (!pending) {
                return refused;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    /** Applies {@code proxies}, the file's and the store's. */
    private synchronized ProxySet.Diff apply(List<ProxyConfig> proxies) {
        try {
            plugins.sync(proxies);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(JfrpClient.class).warn("plugins: {}", e.getMessage());
        }
        return loop.reload(proxies).join();
    }

    /** The file's proxies and the store's; a store proxy with the name of one of the file's is left out. */
    private static List<ProxyConfig> withStore(List<ProxyConfig> file, ProxyStore store) {
        if (store == null) {
            return file;
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        file.forEach(p -> names.add(p.name()));
        List<ProxyConfig> all = new java.util.ArrayList<>(file);
        for (ProxyConfig p : store.proxies()) {
            if (names.add(p.name())) {
                all.add(p);
            } else {
                org.slf4j.LoggerFactory.getLogger(JfrpClient.class).warn("proxy {} of the store is left out: the config "
                        + "file has a proxy of that name", p.name());
            }
        }
        return all;
    }

    /** log.level applies at once on a reload (log.to and log.maxDays need a restart: they name a file). */
    private static String logLevelNote(ClientConfig next) {
        if (next.log().level().equalsIgnoreCase(io.jfrp.core.log.LogLevel.current())) {
            return "";
        }
        try {
            return io.jfrp.core.log.LogLevel.set(next.log().level()).map(l -> "; log.level " + l).orElse("");
        } catch (IllegalArgumentException e) {
            return "; log.level: " + e.getMessage();
        }
    }

    private String fixedSettingsNote(ClientConfig next) {
        List<String> fixed = fixedSettingsChanged(config, next);
        return fixed.isEmpty() ? "" : "; not applied until jfrpc restarts: " + String.join(", ", fixed);
    }

    /**
     * Reads the config file again and applies its proxies (the admin API's reload, SIGHUP, autoReload).
     * @return what changed
     * @throws IllegalArgumentException with every problem of the file when it is not valid: nothing changes
     */
    public String reloadFile() {
        java.nio.file.Path file = java.nio.file.Path.of(config.source());
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("this client was not started from a config file");
        }
        try {
            EtcdDocuments centre = etcd;
            return reload(io.jfrp.core.config.ConfigLoader.client(file, centre == null ? List.of() : centre.applied()).config());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<String> fixedSettingsChanged(ClientConfig a, ClientConfig b) {
        List<String> out = new java.util.ArrayList<>();
        if (!a.serverAddr().equals(b.serverAddr()) || a.serverPort() != b.serverPort()) {
            out.add("serverAddr/serverPort");
        }
        if (!a.user().equals(b.user()) || !a.authToken().equals(b.authToken())) {
            out.add("user/auth");
        }
        if (!a.tls().equals(b.tls())) {
            out.add("transport.tls");
        }
        if (!java.util.Objects.equals(a.admin(), b.admin())) {
            out.add("webServer");
        }
        return out;
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
            return proxyStore;
        }

        @Override
        public boolean inConfigFile(String name) {
            return fileProxies.stream().anyMatch(p -> p.name().equals(name));
        }

        @Override
        public String storeChanged() {
            return apply(withStore(fileProxies, proxyStore)).toString();
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
        ProxyStore proxyStore;
        try {
            proxyStore = config.storeFile() == null ? null : ProxyStore.open(config.storeFile());
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        EtcdDocuments etcd = null;
        List<io.jfrp.core.config.ConfigDocument> documents = List.of();
        List<io.jfrp.core.config.ConfigDocument> refusedDocuments = List.of();
        if (config.configSource() != null) {
            etcd = EtcdDocuments.open(config.configSource(), config.stateFile() == null ? null
                    : config.stateFile().resolveSibling(java.nio.file.Path.of(config.source()).getFileName() + ".etcd.json"));
            try {
                documents = etcd.initial();
                ClientConfig with = withDocuments(config, documents);
                if (with == null) {
                    refusedDocuments = documents;
                    documents = List.of();
                } else {
                    config = with;
                }
            } catch (IOException | RuntimeException e) {
                etcd.close();
                throw e;
            }
        }
        ClientConfig fileConfig = config;
        config = config.withProxies(withStore(config.proxies(), proxyStore));
        SslContext ssl = config.tls().enable() ? TlsContexts.client(config.tls(), config.knownServersFile()) : null;
        RunIdStore store;
        try {
            store = config.stateFile() == null ? null : RunIdStore.open(config.stateFile());
        } catch (IOException | RuntimeException e) {
            // Another client holds the state file: this one never starts, and its context goes now.
            TlsContexts.release(ssl);
            throw e;
        }
        // frp's clientID names the client to the server for good: it is the runId, kept or not.
        String runId = !config.clientId().isEmpty() ? config.clientId()
                : store == null ? RunIdStore.newRunId() : store.runId();
        NettyTransport transport = NettyTransport.create("jfrpc", 0);
        Plugins plugins;
        try {
            plugins = Plugins.start(transport, config.proxies());
        } catch (IOException | RuntimeException e) {
            transport.close();
            TlsContexts.release(ssl);
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
        JfrpClient client = new JfrpClient(transport, loop, store, fileConfig, ssl, plugins, proxyStore);
        if (config.admin() != null) {
            try {
                AdminActions actions = client.new Actions();
                client.admin = AdminServer.start(config.admin(), actions,
                        new ClientMetrics(actions, streams, config.user().isEmpty() ? "" : config.user() + "."));
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
        client.keepApplied();
        if (etcd != null) {
            client.etcd = etcd;
            etcd.follow(documents, refusedDocuments, client::applyDocuments);
        }
        return client;
    }

    /**
     * The file's config with the proxies of the config centre's documents; null when they have problems
     * (each logged): the client starts with the file's proxies, and the centre's next change is tried.
     */
    private static ClientConfig withDocuments(ClientConfig config, List<io.jfrp.core.config.ConfigDocument> docs)
            throws IOException {
        java.nio.file.Path file = java.nio.file.Path.of(config.source());
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IOException("configSource.etcd needs the client to start from a config file");
        }
        try {
            return config.withProxies(io.jfrp.core.config.ConfigLoader.client(file, docs).config().proxies());
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
        transport.close();
        // After the loops: no handshake can start with it any more.
        TlsContexts.release(ssl);
        if (store != null) {
            try {
                store.close();
            } catch (IOException e) {
                // the lock goes with the process anyway
            }
        }
    }
}
