package io.jfrp.client;

import io.jfrp.client.plugin.Plugins;
import io.jfrp.core.centre.EtcdDocuments;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ConfigException;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.config.ProxyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running client's config and how a new one is applied, from every way one comes (the admin API,
 * SIGHUP, autoReload, the store, the config centre): checked whole, its proxies diffed by name, rolled
 * back when the server refuses part of it, its log level and timings applied, what needs a restart named,
 * and each applied file kept for {@code jfrpc rollback}.
 */
final class ClientReload {

    private static final Logger log = LoggerFactory.getLogger(JfrpClient.class);

    /** The config the client started with: where its file is, and what a reload compares fixed settings to. */
    private final ClientConfig config;
    private final ControlLoop loop;
    private final Plugins plugins;
    /** frp's store (store.path): proxies added through the admin API; null without one. */
    private final ProxyStore proxyStore;
    /** The proxies of the config file in force (the store's come on top). */
    private volatile List<ProxyConfig> fileProxies;
    /** The config centre's documents (configSource.etcd); null without one. */
    private volatile EtcdDocuments etcd;

    ClientReload(ClientConfig config, ControlLoop loop, Plugins plugins, ProxyStore proxyStore) {
        this.config = config;
        this.loop = loop;
        this.plugins = plugins;
        this.proxyStore = proxyStore;
        this.fileProxies = config.proxies();
    }

    void following(EtcdDocuments centre) {
        etcd = centre;
    }

    ProxyStore store() {
        return proxyStore;
    }

    boolean inConfigFile(String name) {
        return fileProxies.stream().anyMatch(p -> p.name().equals(name));
    }

    /** The store changed: its proxies and the file's applied. */
    String storeChanged() {
        return apply(withStore(fileProxies, proxyStore)).toString();
    }

    /**
     * Applies the proxies of {@code next}, as frp's reload does: removed and changed proxies close, added
     * and changed ones open, unchanged ones and their connections are not touched. Settings other than
     * proxies take a restart, as in frp; a reload that changes them says so.
     * @return what changed
     */
    synchronized String reload(ClientConfig next) {
        return applyConfig(next).summary();
    }

    /** What a reload did: its words, and whether it was undone because the server refused part of it. */
    record Applied(String summary, boolean rolledBack) {
    }

    synchronized Applied applyConfig(ClientConfig next) {
        List<ProxyConfig> before = fileProxies;
        fileProxies = next.proxies();
        ProxySet.Diff d = apply(withStore(next.proxies(), proxyStore));
        List<String> refused = refusals(d);
        if (!refused.isEmpty()) {
            // The file asked for what the server will not give: back to the proxies that worked.
            fileProxies = before;
            apply(withStore(before, proxyStore));
            String why = String.join("; ", refused);
            log.warn("reload rolled back, the proxies are as they were: {}",
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
    boolean applyDocuments(List<io.jfrp.core.config.ConfigDocument> docs) {
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
    void keepApplied() {
        java.nio.file.Path file = java.nio.file.Path.of(config.source());
        if (config.stateFile() == null || !java.nio.file.Files.isRegularFile(file)) {
            return;
        }
        try {
            new AppliedConfigs(config.appliedConfigsDir()).applied(java.nio.file.Files.readAllBytes(file));
        } catch (IOException e) {
            log.warn("cannot keep the applied config in {}: {}",
                    config.appliedConfigsDir(), e.getMessage());
        }
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
    synchronized ProxySet.Diff apply(List<ProxyConfig> proxies) {
        try {
            plugins.sync(proxies);
        } catch (IOException e) {
            log.warn("plugins: {}", e.getMessage());
        }
        return loop.reload(proxies).join();
    }

    /** The file's proxies and the store's; a store proxy with the name of one of the file's is left out. */
    static List<ProxyConfig> withStore(List<ProxyConfig> file, ProxyStore store) {
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
                log.warn("proxy {} of the store is left out: the config "
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
    String reloadFile() {
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

    /**
     * {@code jfrpc rollback}: puts back, over {@code configFile}, the newest config a client of it applied
     * that is not the file as it is now (the file replaced is kept beside it, {@code .before-rollback}).
     * @return what was done
     * @throws IOException when there is nothing to return to, or the file cannot be written
     */
    static String rollbackFile(java.nio.file.Path configFile, java.nio.file.Path appliedDir) throws IOException {
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
}
