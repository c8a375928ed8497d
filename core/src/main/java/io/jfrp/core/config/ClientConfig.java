package io.jfrp.core.config;

import io.jfrp.core.tls.Fingerprints;
import io.jfrp.core.transport.ClientTransport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything jfrpc needs, immutable. Built by {@link ConfigLoader}.
 *
 * @param protocol {@code transport.protocol}: the first channel's, or "auto" (its channels are then tcp and
 *                 websocket to the one server, and the client starts with the one that last worked)
 */
public record ClientConfig(
        String source,
        String serverAddr,
        int serverPort,
        String protocol,
        String user,
        String authToken,
        boolean loginFailExit,
        ClientTls tls,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        Duration dialServerTimeout,
        ReconnectSettings reconnect,
        LogSettings log,
        Path stateFile,
        AdminSettings admin,
        List<ProxyConfig> proxies,
        String clientId,
        List<ChannelConfig> channels,
        Duration failBackAfter,
        Path storeFile,
        boolean autoReload,
        EtcdSource configSource) {

    public ClientConfig {
        proxies = List.copyOf(proxies);
        if (channels == null || channels.isEmpty()) {
            channels = protocol.equals("auto") ? List.of(new ChannelConfig("tcp", serverAddr, serverPort, "tcp"),
                    new ChannelConfig("websocket", serverAddr, serverPort, "websocket"))
                    : List.of(new ChannelConfig("server", serverAddr, serverPort, protocol));
        }
        channels = List.copyOf(channels);
    }

    /** The default of {@code failBackAfter}: how long a better channel must stay healthy before the session moves back. */
    public static final Duration FAIL_BACK_AFTER = Duration.ofSeconds(30);

    /** A client of {@code addr:port} with frp's defaults otherwise, TLS on and unpinned. */
    public static ClientConfig defaults(String addr, int port, String token, List<ProxyConfig> proxies) {
        return new ClientConfig("(defaults)", addr, port, "tcp", "", token, false,
                new ClientTls(true, null, null, null, "", ""), Duration.ofSeconds(3), Duration.ofSeconds(9),
                Duration.ofSeconds(10), ReconnectSettings.DEFAULT, LogSettings.DEFAULT, null, null, proxies, "", null,
                FAIL_BACK_AFTER, null, false, null);
    }

    /** This config with {@code from}'s heartbeats, dial timeout and reconnect backoff (what a reload applies of them). */
    public ClientConfig withTimings(ClientConfig from) {
        return new ClientConfig(source, serverAddr, serverPort, protocol, user, authToken, loginFailExit, tls,
                from.heartbeatInterval, from.heartbeatTimeout, from.dialServerTimeout, from.reconnect, log, stateFile, admin,
                proxies, clientId, channels, failBackAfter, storeFile, autoReload, configSource);
    }

    public ClientConfig withTls(ClientTls t) {
        return new ClientConfig(source, serverAddr, serverPort, protocol, user, authToken, loginFailExit, t, heartbeatInterval,
                heartbeatTimeout, dialServerTimeout, reconnect, log, stateFile, admin, proxies, clientId, channels,
                failBackAfter, storeFile, autoReload, configSource);
    }

    /** The same client over another transport ({@code transport.protocol}). */
    public ClientConfig withProtocol(String p) {
        return new ClientConfig(source, serverAddr, serverPort, p, user, authToken, loginFailExit, tls, heartbeatInterval,
                heartbeatTimeout, dialServerTimeout, reconnect, log, stateFile, admin, proxies, clientId, null,
                failBackAfter, storeFile, autoReload, configSource);
    }

    /** The same client with an ordered list of channels (the first is where it goes first) and a fail-back time. */
    public ClientConfig withChannels(List<ChannelConfig> list, Duration failBack) {
        ChannelConfig first = list.get(0);
        return new ClientConfig(source, first.serverAddr(), first.serverPort(), first.protocol(), user, authToken,
                loginFailExit, tls, heartbeatInterval, heartbeatTimeout, dialServerTimeout, reconnect, log, stateFile, admin,
                proxies, clientId, list, failBack, storeFile, autoReload, configSource);
    }

    /** The same client logging in as {@code u} (frp's {@code user}) with {@code token}. */
    public ClientConfig withUser(String u, String token) {
        return new ClientConfig(source, serverAddr, serverPort, protocol, u, token, loginFailExit, tls, heartbeatInterval,
                heartbeatTimeout, dialServerTimeout, reconnect, log, stateFile, admin, proxies, clientId, channels,
                failBackAfter, storeFile, autoReload, configSource);
    }

    /** The file that keeps this client's runId across restarts; null for a new runId per start. */
    public ClientConfig withStateFile(Path file) {
        return new ClientConfig(source, serverAddr, serverPort, protocol, user, authToken, loginFailExit, tls, heartbeatInterval,
                heartbeatTimeout, dialServerTimeout, reconnect, log, file, admin, proxies, clientId, channels,
                failBackAfter, storeFile, autoReload, configSource);
    }

    public ClientConfig withAdmin(AdminSettings a) {
        return new ClientConfig(source, serverAddr, serverPort, protocol, user, authToken, loginFailExit, tls, heartbeatInterval,
                heartbeatTimeout, dialServerTimeout, reconnect, log, stateFile, a, proxies, clientId, channels,
                failBackAfter, storeFile, autoReload, configSource);
    }

    public ClientConfig withHeartbeat(Duration interval, Duration timeout) {
        return new ClientConfig(source, serverAddr, serverPort, protocol, user, authToken, loginFailExit, tls, interval,
                timeout, dialServerTimeout, reconnect, log, stateFile, admin, proxies, clientId, channels,
                failBackAfter, storeFile, autoReload, configSource);
    }

    /** The same client with another bound on reaching the server ({@code transport.dialServerTimeout}). */
    public ClientConfig withDialTimeout(Duration timeout) {
        return new ClientConfig(source, serverAddr, serverPort, protocol, user, authToken, loginFailExit, tls, heartbeatInterval,
                heartbeatTimeout, timeout, reconnect, log, stateFile, admin, proxies, clientId, channels,
                failBackAfter, storeFile, autoReload, configSource);
    }

    /** The same client keeping frp's store (proxies added through the admin API) in {@code file}. */
    public ClientConfig withStoreFile(Path file) {
        return new ClientConfig(source, serverAddr, serverPort, protocol, user, authToken, loginFailExit, tls, heartbeatInterval,
                heartbeatTimeout, dialServerTimeout, reconnect, log, stateFile, admin, proxies, clientId, channels, failBackAfter,
                file, autoReload, configSource);
    }

    /** The same client with these proxies (its config file's and its store's, say). */
    public ClientConfig withProxies(List<ProxyConfig> list) {
        return new ClientConfig(source, serverAddr, serverPort, protocol, user, authToken, loginFailExit, tls, heartbeatInterval,
                heartbeatTimeout, dialServerTimeout, reconnect, log, stateFile, admin, list, clientId, channels, failBackAfter,
                storeFile, autoReload, configSource);
    }

    public ClientConfig withLoginFailExit(boolean exit) {
        return new ClientConfig(source, serverAddr, serverPort, protocol, user, authToken, exit, tls, heartbeatInterval,
                heartbeatTimeout, dialServerTimeout, reconnect, log, stateFile, admin, proxies, clientId, channels,
                failBackAfter, storeFile, autoReload, configSource);
    }

    static ClientConfig read(ConfigSection s, Path file) {
        if (!s.sets("serverAddr") && !s.sets("serverPort") && !s.sets("proxies")
                && (s.sets("bindPort") || s.sets("bindAddr") || s.sets("allowPorts"))) {
            s.problem("", null, "this is a server's config (bindPort, bindAddr, allowPorts): give it to jfrps");
        }
        String serverAddr = s.string("serverAddr", "0.0.0.0");
        int serverPort = s.port("serverPort", 7000, false);
        String user = s.string("user", "");
        String clientId = s.string("clientID", "");
        if (!clientId.isEmpty() && !clientId.matches("[A-Za-z0-9._-]{1,64}")) {
            s.problem("clientID", s.node("clientID"), "\"" + clientId + "\" (expected: 1-64 of A-Z a-z 0-9 . _ -)");
        }
        s.oneOf("auth.method", "token", List.of("token"));
        String token = TokenSource.read(s);
        boolean loginFailExit = s.bool("loginFailExit", false);
        String protocol = s.string("transport.protocol", "tcp");
        if (!ClientTransport.PROTOCOLS.contains(protocol) && !protocol.equals("auto")) {
            s.problem("transport.protocol", s.node("transport.protocol"),
                    "\"" + protocol + "\" (expected: one of " + String.join(", ", ClientTransport.PROTOCOLS) + ", auto)");
        }
        List<ChannelConfig> channels = ChannelConfig.read(s, serverAddr, serverPort, protocol);
        Duration failBack = s.duration("transport.failBackAfter", FAIL_BACK_AFTER, Duration.ofSeconds(1), false);
        String fingerprint = s.string("transport.tls.serverFingerprint", "");
        if (!fingerprint.isEmpty() && Fingerprints.normalize(fingerprint) == null) {
            s.problem("transport.tls.serverFingerprint", s.node("transport.tls.serverFingerprint"),
                    "\"" + fingerprint + "\" (expected: a SHA-256 fingerprint, 64 hex digits, colons allowed)");
        }
        ClientTls tls = new ClientTls(s.bool("transport.tls.enable", true), s.existingFile("transport.tls.certFile"),
                s.existingFile("transport.tls.keyFile"), s.existingFile("transport.tls.trustedCaFile"),
                s.string("transport.tls.serverName", ""), fingerprint, s.bool("transport.tls.trustOnFirstUse", false));
        if (tls.trustOnFirstUse() && (!fingerprint.isEmpty() || tls.trustedCaFile() != null)) {
            s.warn("transport.tls.trustOnFirstUse", "has no effect beside transport.tls.serverFingerprint or "
                    + "transport.tls.trustedCaFile, which say which certificate to trust");
        }
        KeyPairCheck.check(s, tls.certFile(), tls.keyFile());
        if (!tls.enable() && channels.stream().anyMatch(ch -> ch.protocol().equals("wss"))) {
            s.problem("transport.tls.enable", s.node("transport.tls.enable"), "false while a channel's protocol is "
                    + "wss, a WebSocket over TLS (expected: TLS on, or protocol websocket)");
        }
        if (!tls.enable() && !fingerprint.isEmpty()) {
            s.problem("transport.tls.serverFingerprint", s.node("transport.tls.serverFingerprint"),
                    "set while transport.tls.enable = false (expected: TLS on to pin a certificate)");
        }
        Duration interval;
        Duration timeout;
        Duration keepalive = frpKeepalive(s);
        if (keepalive != null) {
            // frp with heartbeats off under tcpMux finds dead links by yamux's keepalive at this interval:
            // jfrp's heartbeats take its place, so a frp config keeps noticing a dead link as soon.
            interval = keepalive;
            timeout = off(s, "transport.heartbeatTimeout") ? keepalive.multipliedBy(3)
                    : s.duration("transport.heartbeatTimeout", Duration.ofSeconds(9), Duration.ofMillis(300), true);
            s.warn("transport.heartbeatInterval", "off, as frp turns heartbeats off under tcpMux; jfrp keeps them "
                    + "on at transport.tcpMuxKeepaliveInterval (" + Durations.format(interval) + ", timeout "
                    + Durations.format(timeout) + "), which is how often frp's tcpMux checks the link");
        } else {
            interval = s.duration("transport.heartbeatInterval", Duration.ofSeconds(3), Duration.ofMillis(100), true);
            timeout = s.duration("transport.heartbeatTimeout", Duration.ofSeconds(9), Duration.ofMillis(300), true);
            s.noEffect("transport.tcpMuxKeepaliveInterval", "heartbeats are set by transport.heartbeatInterval");
        }
        if (timeout.compareTo(interval) <= 0) {
            s.problem("transport.heartbeatTimeout", s.node("transport.heartbeatTimeout"),
                    Durations.format(timeout) + " (expected: > transport.heartbeatInterval " + Durations.format(interval) + ")");
        }
        Duration dial = s.duration("transport.dialServerTimeout", Duration.ofSeconds(10), Duration.ofMillis(100), false);
        ReconnectSettings d = ReconnectSettings.DEFAULT;
        Duration initial = s.duration("transport.reconnect.initialInterval", d.initialInterval(), Duration.ofMillis(10), false);
        Duration max = s.duration("transport.reconnect.maxInterval", d.maxInterval(), Duration.ofMillis(10), false);
        double multiplier = s.number("transport.reconnect.multiplier", d.multiplier(), 1.0, 10.0);
        double jitter = s.number("transport.reconnect.jitter", d.jitter(), 0.0, 1.0);
        int threshold = (int) s.integer("transport.reconnect.circuitBreakerThreshold", d.circuitBreakerThreshold(), 1, 100_000);
        if (max.compareTo(initial) < 0) {
            s.problem("transport.reconnect.maxInterval", s.node("transport.reconnect.maxInterval"),
                    Durations.format(max) + " (expected: >= initialInterval " + Durations.format(initial) + ")");
        }
        LogSettings log = LogSettings.read(s);
        String stateDir = s.string("stateDir", "");
        Path stateFile = stateDir.isEmpty() ? defaultStateFile(file) : Path.of(stateDir).resolve(file.getFileName() + ".state");
        s.noEffect("transport.poolCount", "jfrp multiplexes streams over one channel; there is no pool");
        s.noEffect("transport.tcpMux", "jfrp always multiplexes, with flow control per stream");
        s.noEffect("transport.dialServerKeepalive", "jfrp turns TCP keepalive on and relies on its own heartbeats");
        s.noEffect("transport.tls.disableCustomTLSFirstByte", "jfrps tells TLS from plain by the handshake itself");
        s.noEffect("auth.additionalScopes", "jfrp authenticates the channel at login; heartbeats and streams "
                + "travel inside it");
        s.unsupportedUnder("auth.oidc", "");
        s.noEffect("transport.wireProtocol", "jfrp speaks its own protocol between jfrpc and jfrps");
        String storePath = s.string("store.path", "");
        Path store = storePath.isEmpty() ? null : Path.of(storePath);
        boolean autoReload = s.bool("autoReload", false);
        AdminSettings admin = AdminSettings.read(s);
        UnsafeSettings.client(s, token, tls, serverAddr, admin);
        s.noEffectUnder("metadatas", "frp hands a client's metadatas to server plugins, which jfrp does not have yet");
        for (String key : List.of("start", "dnsServer", "natHoleStunServer", "transport.quic.keepalivePeriod")) {
            s.unsupported(key, "");
        }
        int udpPacketSize = (int) s.integer("udpPacketSize", UdpProxyConfig.DEFAULT_PACKET_SIZE, 1, 65507);
        List<ProxyConfig> proxies = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        // A TCP and a UDP port of the same number are two ports.
        Map<String, ProxyConfig> ports = new HashMap<>();
        List<ConfigSection> sections = new ArrayList<>(s.tables("proxies"));
        for (ConfigSection included : IncludedFiles.read(s, s.env())) {
            sections.addAll(included.tables("proxies"));
            included.unsupported("visitors", "");
            included.finish();
        }
        EtcdSource etcd = EtcdSource.read(s);
        for (ConfigDocument centreDoc : s.documents()) {
            ConfigSection doc = CentreDocuments.section(centreDoc, s, LegacyIni.Side.CLIENT, "[[proxies]] tables");
            if (doc != null) {
                sections.addAll(doc.tables("proxies"));
                // The file says where the server is and who this client is; a key of the centre adds proxies.
                doc.finish();
            }
        }
        for (int i = 0; i < sections.size(); i++) {
            ConfigSection ps = sections.get(i);
            ProxyConfig p = ProxyConfigReader.read(ps, udpPacketSize);
            if (p == null || p.name().isEmpty()) {
                continue;
            }
            ConfigNode at = ps.node("name");
            String first = names.putIfAbsent(p.name(), ps.where());
            if (first != null) {
                ps.problem("name", at, "\"" + p.name() + "\" is already used by " + first + " (expected: a unique name)");
                continue;
            }
            if (p.remotePort() != 0) {
                ProxyConfig other = ports.putIfAbsent(p.type() + "/" + p.remotePort(), p);
                // The members of one load-balancing group share their port.
                boolean sameGroup = other != null && p.balancing().grouped()
                        && p.balancing().group().equals(other.balancing().group());
                if (other != null && !sameGroup) {
                    ps.problem("remotePort", ps.node("remotePort"), p.remotePort() + " is already used by " + p.type()
                            + " proxy " + other.name() + " (expected: a port of its own, or the same loadBalancer.group)");
                    continue;
                }
            }
            proxies.add(p);
        }
        s.unsupported("visitors", "");
        s.finish();
        ChannelConfig first = channels.get(0);
        boolean auto = protocol.equals("auto") && s.tables("channels").isEmpty();
        return new ClientConfig(file.toString(), first.serverAddr(), first.serverPort(), auto ? "auto" : first.protocol(),
                user, token,
                loginFailExit, tls, interval, timeout, dial, new ReconnectSettings(initial, max, multiplier, jitter, threshold),
                log, stateFile, admin, proxies, clientId, channels, failBack, store, autoReload, etcd);
    }

    /** Where the configs this client applied are kept for {@code jfrpc rollback} (beside the state file). */
    public Path appliedConfigsDir() {
        return appliedConfigsDir(Path.of(source), stateFile);
    }

    /** The same for a config file that cannot be read now (a broken edit): where its state file goes by default. */
    public static Path appliedConfigsDir(Path configFile, Path stateFile) {
        Path state = stateFile != null ? stateFile : defaultStateFile(configFile);
        return state.toAbsolutePath().getParent().resolve(configFile.getFileName() + ".applied");
    }

    /** Where a config's state file goes without stateDir: {@code jfrpc-state/} beside the config. */
    private static Path defaultStateFile(Path configFile) {
        Path dir = configFile.toAbsolutePath().getParent() == null ? Path.of(".") : configFile.toAbsolutePath().getParent();
        return dir.resolve("jfrpc-state").resolve(configFile.getFileName() + ".state");
    }

    /** Where trust on first use keeps the certificates it saw (beside the state file); null without one. */
    public java.nio.file.Path knownServersFile() {
        return stateFile == null ? null : stateFile.toAbsolutePath().getParent().resolve("known_servers");
    }

    /**
     * frp's liveness check when its heartbeats are off (transport.heartbeatInterval negative) and tcpMux is
     * on: yamux's keepalive every transport.tcpMuxKeepaliveInterval seconds. Null when that is not the case.
     */
    private static Duration frpKeepalive(ConfigSection s) {
        if (!s.has("transport.tcpMuxKeepaliveInterval") || !s.has("transport.heartbeatInterval")
                || !off(s, "transport.heartbeatInterval")
                || (s.has("transport.tcpMux") && "false".equals(String.valueOf(s.node("transport.tcpMux").value())))) {
            return null;
        }
        long seconds = s.integer("transport.tcpMuxKeepaliveInterval", 30, 1, 3600);
        return Duration.ofSeconds(seconds);
    }

    /** Whether {@code key} is unset or set to frp's "off" (a negative number). */
    private static boolean off(ConfigSection s, String key) {
        if (!s.has(key)) {
            return true;
        }
        Duration d = Durations.parse(s.node(key).value());
        return d != null && d.isNegative();
    }
}
