package io.jfrp.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Everything jfrps needs, immutable. Built by {@link ConfigLoader} or, in tests, by {@link #defaults()}. */
public record ServerConfig(
        String source,
        String bindAddr,
        int bindPort,
        String proxyBindAddr,
        String authToken,
        PortRanges allowPorts,
        int maxPortsPerClient,
        ServerTls tls,
        Duration heartbeatTimeout,
        Duration userConnTimeout,
        Duration sessionGracePeriod,
        LogSettings log,
        Path dataDir,
        UdpSettings udp,
        AdminSettings webServer,
        VhostSettings vhost,
        int quicBindPort,
        int kcpBindPort,
        List<ServerUser> users,
        EtcdSource configSource) {

    public ServerConfig {
        users = users == null ? List.of() : List.copyOf(users);
    }

    /** Defaults as documented in docs/configuration.md; bindPort 7000 on all addresses. */
    public static ServerConfig defaults() {
        return new ServerConfig("(defaults)", "0.0.0.0", 7000, "0.0.0.0", "", PortRanges.ALL, 0,
                new ServerTls(false, null, null, null), Duration.ofSeconds(9), Duration.ofSeconds(10),
                Duration.ofSeconds(30), LogSettings.DEFAULT, Path.of("jfrps-data"),
                UdpSettings.DEFAULT, null, VhostSettings.NONE, 0, 0, List.of(), null);
    }

    public ServerConfig withBind(String addr, int port) {
        return new ServerConfig(source, addr, port, addr, authToken, allowPorts, maxPortsPerClient, tls,
                heartbeatTimeout, userConnTimeout, sessionGracePeriod, log, dataDir, udp, webServer, vhost, quicBindPort, kcpBindPort, users, configSource);
    }

    public ServerConfig withAuthToken(String token) {
        return new ServerConfig(source, bindAddr, bindPort, proxyBindAddr, token, allowPorts, maxPortsPerClient, tls,
                heartbeatTimeout, userConnTimeout, sessionGracePeriod, log, dataDir, udp, webServer, vhost, quicBindPort, kcpBindPort, users, configSource);
    }

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(source, bindAddr, bindPort, proxyBindAddr, authToken, allowPorts, maxPortsPerClient,
                tls, heartbeatTimeout, userConnTimeout, sessionGracePeriod, log, dir, udp, webServer, vhost, quicBindPort, kcpBindPort, users, configSource);
    }

    public ServerConfig withPorts(PortRanges allow, int maxPerClient) {
        return new ServerConfig(source, bindAddr, bindPort, proxyBindAddr, authToken, allow, maxPerClient, tls,
                heartbeatTimeout, userConnTimeout, sessionGracePeriod, log, dataDir, udp, webServer, vhost, quicBindPort, kcpBindPort, users, configSource);
    }

    public ServerConfig withSessionGracePeriod(Duration grace) {
        return new ServerConfig(source, bindAddr, bindPort, proxyBindAddr, authToken, allowPorts, maxPortsPerClient,
                tls, heartbeatTimeout, userConnTimeout, grace, log, dataDir, udp, webServer, vhost, quicBindPort, kcpBindPort, users, configSource);
    }

    /** A UDP port for clients whose transport is QUIC; 0 for none. */
    public ServerConfig withQuicBindPort(int port) {
        return new ServerConfig(source, bindAddr, bindPort, proxyBindAddr, authToken, allowPorts, maxPortsPerClient,
                tls, heartbeatTimeout, userConnTimeout, sessionGracePeriod, log, dataDir, udp, webServer, vhost, port, kcpBindPort, users, configSource);
    }

    /** A UDP port for clients whose transport is KCP; 0 for none. */
    public ServerConfig withKcpBindPort(int port) {
        return new ServerConfig(source, bindAddr, bindPort, proxyBindAddr, authToken, allowPorts, maxPortsPerClient,
                tls, heartbeatTimeout, userConnTimeout, sessionGracePeriod, log, dataDir, udp, webServer, vhost, quicBindPort,
                port, users, configSource);
    }

    /** The server with these users (each a token of its own, and limits), beside auth.token's clients. */
    public ServerConfig withUsers(List<ServerUser> list) {
        return new ServerConfig(source, bindAddr, bindPort, proxyBindAddr, authToken, allowPorts, maxPortsPerClient,
                tls, heartbeatTimeout, userConnTimeout, sessionGracePeriod, log, dataDir, udp, webServer, vhost, quicBindPort,
                kcpBindPort, list, configSource);
    }

    /** How long a silent client is waited for before its channel counts as lost. */
    public ServerConfig withHeartbeatTimeout(Duration timeout) {
        return new ServerConfig(source, bindAddr, bindPort, proxyBindAddr, authToken, allowPorts, maxPortsPerClient,
                tls, timeout, userConnTimeout, sessionGracePeriod, log, dataDir, udp, webServer, vhost, quicBindPort, kcpBindPort, users, configSource);
    }

    public ServerConfig withTls(ServerTls t) {
        return new ServerConfig(source, bindAddr, bindPort, proxyBindAddr, authToken, allowPorts, maxPortsPerClient,
                t, heartbeatTimeout, userConnTimeout, sessionGracePeriod, log, dataDir, udp, webServer, vhost, quicBindPort, kcpBindPort, users, configSource);
    }

    public ServerConfig withUdp(UdpSettings u) {
        return new ServerConfig(source, bindAddr, bindPort, proxyBindAddr, authToken, allowPorts, maxPortsPerClient,
                tls, heartbeatTimeout, userConnTimeout, sessionGracePeriod, log, dataDir, u, webServer, vhost, quicBindPort, kcpBindPort, users, configSource);
    }

    /** The server's web server (frp's webServer.*: /healthz, /api/serverinfo, /api/proxy/TYPE); null: none. */
    public ServerConfig withWebServer(AdminSettings w) {
        return new ServerConfig(source, bindAddr, bindPort, proxyBindAddr, authToken, allowPorts, maxPortsPerClient,
                tls, heartbeatTimeout, userConnTimeout, sessionGracePeriod, log, dataDir, udp, w, vhost, quicBindPort, kcpBindPort, users, configSource);
    }

    public ServerConfig withVhost(VhostSettings v) {
        return new ServerConfig(source, bindAddr, bindPort, proxyBindAddr, authToken, allowPorts, maxPortsPerClient,
                tls, heartbeatTimeout, userConnTimeout, sessionGracePeriod, log, dataDir, udp, webServer, v, quicBindPort, kcpBindPort, users, configSource);
    }

    static ServerConfig read(ConfigSection s, Path file) {
        if (!s.sets("bindPort") && (s.sets("serverAddr") || s.sets("serverPort") || s.sets("proxies"))) {
            s.problem("", null, "this is a client's config (serverAddr, serverPort, [[proxies]]): give it to jfrpc");
        }
        String bindAddr = s.string("bindAddr", "0.0.0.0");
        int bindPort = s.port("bindPort", 7000, false);
        String proxyBindAddr = s.string("proxyBindAddr", bindAddr);
        s.oneOf("auth.method", "token", List.of("token"));
        String token = TokenSource.read(s);
        PortRanges allow = PortRanges.read(s, "allowPorts");
        int maxPorts = (int) s.integer("maxPortsPerClient", 0, 0, 65535);
        ServerTls tls = new ServerTls(s.bool("transport.tls.force", false), s.existingFile("transport.tls.certFile"),
                s.existingFile("transport.tls.keyFile"), s.existingFile("transport.tls.trustedCaFile"));
        KeyPairCheck.check(s, tls.certFile(), tls.keyFile());
        Duration hbTimeout = s.duration("transport.heartbeatTimeout", Duration.ofSeconds(9), Duration.ofSeconds(1), true);
        Duration userConnTimeout = s.duration("userConnTimeout", Duration.ofSeconds(10), Duration.ofMillis(100), false);
        Duration grace = s.duration("transport.sessionGracePeriod", Duration.ofSeconds(30), Duration.ZERO, false);
        LogSettings log = LogSettings.read(s);
        UdpSettings udp = UdpSettings.read(s);
        AdminSettings webServer = AdminSettings.read(s, true);
        List<ConfigSection> userTables = new java.util.ArrayList<>(s.tables("users"));
        EtcdSource etcd = EtcdSource.read(s);
        for (ConfigDocument d : s.documents()) {
            ConfigSection doc = CentreDocuments.section(d, s, LegacyIni.Side.SERVER, "[[users]] tables");
            if (doc != null) {
                userTables.addAll(doc.tables("users"));
                // The file says where the server listens and how; a key of the centre adds users.
                doc.finish();
            }
        }
        List<ServerUser> users = ServerUser.read(userTables);
        UnsafeSettings.server(s, token, !users.isEmpty(), webServer);
        VhostSettings vhost = VhostSettings.read(s);
        Path defaultData = (file.toAbsolutePath().getParent() == null ? Path.of(".") : file.toAbsolutePath().getParent())
                .resolve("jfrps-data");
        String dataDir = s.string("dataDir", "");
        s.noEffect("transport.maxPoolCount", "jfrp multiplexes streams over one channel; there is no pool");
        s.noEffect("transport.tcpMux", "jfrp always multiplexes, with flow control per stream");
        s.noEffect("transport.tcpMuxKeepaliveInterval", "heartbeats are set by transport.heartbeatTimeout");
        s.noEffect("transport.tcpKeepalive", "jfrp turns TCP keepalive on and relies on its own heartbeats");
        s.noEffect("detailedErrorsToClient", "jfrp always tells the client why a proxy was refused");
        s.noEffect("auth.additionalScopes", "jfrp authenticates the channel at login; heartbeats and streams "
                + "travel inside it");
        s.unsupportedUnder("auth.oidc", "");
        for (String table : List.of("sshTunnelGateway", "transport.quic")) {
            s.unsupportedUnder(table, "");
        }
        int quicBindPort = s.port("quicBindPort", 0, true);
        int kcpBindPort = s.port("kcpBindPort", 0, true);

        for (String key : List.of("allowedClientIPs",
                "natholeAnalysisDataReserveHours", "httpPlugins")) {
            s.unsupported(key, "");
        }
        s.finish();
        return new ServerConfig(file.toString(), bindAddr, bindPort, proxyBindAddr, token, allow, maxPorts, tls,
                hbTimeout, userConnTimeout, grace, log, dataDir.isEmpty() ? defaultData : Path.of(dataDir), udp, webServer, vhost, quicBindPort, kcpBindPort, users, etcd);
    }
}
