package io.jfrp.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import io.jfrp.core.admin.AdminHttp;
import io.jfrp.core.config.AdminSettings;
import io.jfrp.core.config.ProxyType;
import io.jfrp.core.config.ServerConfig;
import io.jfrp.protocol.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;

/**
 * The server's web server: jfrp's dashboard at {@code /} ({@link Dashboard}), and frp's dashboard API where frp's tools read it: {@code GET /healthz} (no
 * auth), {@code GET /api/serverinfo}, {@code /api/clients}, {@code GET /api/proxy/TYPE} and
 * {@code GET /api/proxy/TYPE/NAME}, in frp's JSON shapes, from {@link ServerStats}; {@code /metrics} with
 * {@code enablePrometheus} ({@link ServerMetrics}) and a thread dump at {@code /debug/pprof/} with
 * {@code webServer.pprofEnable} (frp's goroutine profile, for a JVM); and jfrp's {@code POST /api/reload}
 * (the config file read again and applied: {@link ServerReload}) and {@code PUT /api/jfrp/log-level}.
 */
final class ServerWeb implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerWeb.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final AdminHttp http;

    private ServerWeb(AdminHttp http) {
        this.http = http;
    }

    /** @param bindPort the port clients log in on, as bound (the config may say 0) */
    static ServerWeb start(java.util.function.Supplier<ServerConfig> config, int bindPort, ServerStats stats,
                           io.jfrp.core.mux.MemoryBudget memory, LoginFailures logins, long certificateNotAfter,
                           java.util.function.Supplier<String> reload)
            throws IOException {
        AdminSettings s = config.get().webServer();
        ServerMetrics metrics = s.prometheus() ? new ServerMetrics(stats, memory, logins, certificateNotAfter) : null;
        AdminHttp http = AdminHttp.start(s, "web server", "jfrps-web", exchange -> {
            try {
                route(exchange, config.get(), bindPort, stats, metrics, logins, reload);
            } catch (RuntimeException e) {
                log.warn("web server request failed", e);
            }
        });
        log.info("web server on http://{}:{}/ (dashboard; frp's API under /api/){}", s.addr(), http.port(),
                s.authRequired() ? " (basic auth)" : "");
        return new ServerWeb(http);
    }

    int port() {
        return http.port();
    }

    private static void route(HttpExchange ex, ServerConfig config, int bindPort, ServerStats stats,
                              ServerMetrics metrics, LoginFailures logins, java.util.function.Supplier<String> reload)
            throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals(io.jfrp.core.admin.LogLevelRoute.PATH)) {
            io.jfrp.core.admin.LogLevelRoute.answer(ex, log);
            return;
        }
        if (path.equals("/api/reload") && (ex.getRequestMethod().equals("POST") || ex.getRequestMethod().equals("GET"))) {
            try {
                String what = reload.get();
                log.info("config reloaded through the web server from {}", ex.getRemoteAddress());
                AdminHttp.send(ex, 200, "text/plain", what + "\n");
            } catch (IllegalArgumentException e) {
                AdminHttp.send(ex, 400, "text/plain", e.getMessage() + "\n");
            }
            return;
        }
        if (!ex.getRequestMethod().equals("GET")) {
            AdminHttp.send(ex, 405, "text/plain", "only GET\n");
            return;
        }
        if (Dashboard.serve(ex, path, stats, logins)) {
            return;
        }
        if (path.equals("/api/serverinfo")) {
            AdminHttp.send(ex, 200, "application/json", serverInfo(config, bindPort, stats));
            return;
        }
        if (path.equals("/api/clients")) {
            String query = ex.getRequestURI().getQuery();
            AdminHttp.send(ex, 200, "application/json", clients(stats, query != null && query.contains("status=online")));
            return;
        }
        if (path.equals("/metrics") && metrics != null) {
            // The exposition's content type already names its charset and version.
            byte[] b = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", metrics.contentType());
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            return;
        }
        if (path.startsWith("/debug/pprof/") && config.webServer().pprof()) {
            AdminHttp.send(ex, 200, "text/plain", ThreadDump.of());
            return;
        }
        String[] parts = path.split("/");
        // "", "api", "proxy", TYPE [, NAME]
        Optional<ProxyType> type = parts.length >= 4 && parts[1].equals("api") && parts[2].equals("proxy")
                ? ProxyType.of(parts[3]) : Optional.empty();
        if (type.isPresent() && parts.length == 4) {
            AdminHttp.send(ex, 200, "application/json", proxies(stats, type.get()));
            return;
        }
        if (type.isPresent() && parts.length == 5) {
            Optional<ServerStats.Proxy> p = stats.proxies().stream()
                    .filter(x -> x.type == type.get() && x.name.equals(parts[4])).findFirst();
            if (p.isPresent()) {
                AdminHttp.send(ex, 200, "application/json", json(g -> proxy(g, p.get(), stats.online(p.get()))));
            } else {
                AdminHttp.send(ex, 404, "text/plain", "no such proxy\n");
            }
            return;
        }
        AdminHttp.send(ex, 404, "text/plain", "not found\n");
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static String json(Writer w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            w.write(g);
        }
        return out.toString(StandardCharsets.UTF_8) + "\n";
    }

    /** frp's /api/serverinfo; the ports of features jfrp does not have are 0, as frp shows them unset. */
    static String serverInfo(ServerConfig c, int bindPort, ServerStats stats) throws IOException {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("version", Wire.SOFTWARE_VERSION);
            g.writeNumberField("bindPort", bindPort);
            g.writeNumberField("vhostHTTPPort", Math.max(0, c.vhost().vhostHTTPPort()));
            g.writeNumberField("vhostHTTPSPort", Math.max(0, c.vhost().vhostHTTPSPort()));
            g.writeNumberField("tcpmuxHTTPConnectPort", Math.max(0, c.vhost().tcpmuxHTTPConnectPort()));
            g.writeNumberField("kcpBindPort", Math.max(0, c.kcpBindPort()));
            g.writeNumberField("quicBindPort", Math.max(0, c.quicBindPort()));
            g.writeStringField("subdomainHost", c.vhost().subDomainHost());
            g.writeNumberField("maxPoolCount", 0);
            g.writeNumberField("maxPortsPerClient", c.maxPortsPerClient());
            g.writeNumberField("heartbeatTimeout", c.heartbeatTimeout().toSeconds());
            g.writeStringField("allowPortsStr", c.allowPorts().isAll() ? "" : c.allowPorts().toString());
            g.writeBooleanField("tlsForce", c.tls().force());
            g.writeNumberField("totalTrafficIn", stats.trafficIn());
            g.writeNumberField("totalTrafficOut", stats.trafficOut());
            g.writeNumberField("curConns", stats.connections());
            g.writeNumberField("clientCounts", stats.clientsOnline());
            g.writeObjectFieldStart("proxyTypeCount");
            for (ProxyType t : ProxyType.values()) {
                long n = stats.proxies().stream().filter(p -> p.type == t && stats.online(p)).count();
                if (n > 0) {
                    g.writeNumberField(t.configName(), n);
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** frp's /api/clients: each client (here each session) with its ids and whether it is online. */
    private static String clients(ServerStats stats, boolean onlineOnly) throws IOException {
        return json(g -> {
            g.writeStartArray();
            for (ServerStats.Client c : stats.clients()) {
                if (onlineOnly && !c.online()) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("key", c.runId());
                g.writeStringField("user", c.user());
                // jfrp's client identity is its runId: frp's clientID when the client sets one.
                g.writeStringField("clientID", c.runId());
                g.writeStringField("runID", c.runId());
                g.writeStringField("hostname", c.host());
                g.writeStringField("clientIP", c.peer());
                g.writeBooleanField("online", c.online());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static String proxies(ServerStats stats, ProxyType type) throws IOException {
        List<ServerStats.Proxy> list = stats.proxies().stream().filter(p -> p.type == type)
                .sorted(Comparator.comparing(p -> p.name)).toList();
        return json(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("proxies");
            for (ServerStats.Proxy p : list) {
                proxy(g, p, stats.online(p));
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** One proxy in frp's shape: its name, its conf (type and port), traffic, connections and status. */
    private static void proxy(JsonGenerator g, ServerStats.Proxy p, boolean online) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", p.name);
        g.writeObjectFieldStart("conf");
        g.writeStringField("name", p.name);
        g.writeStringField("type", p.type.configName());
        g.writeNumberField("remotePort", p.port);
        if (!p.annotations.isEmpty()) {
            g.writeObjectFieldStart("annotations");
            for (Map.Entry<String, String> e : new TreeMap<>(p.annotations).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeStringField("clientVersion", "");
        g.writeStringField("runId", p.session);
        g.writeNumberField("todayTrafficIn", p.trafficIn.get());
        g.writeNumberField("todayTrafficOut", p.trafficOut.get());
        g.writeNumberField("curConns", p.connections.get());
        g.writeStringField("lastStartTime", p.since.toString());
        g.writeStringField("lastCloseTime", "");
        g.writeStringField("status", online ? "online" : "offline");
        g.writeEndObject();
    }

    @Override
    public void close() {
        http.close();
    }
}
