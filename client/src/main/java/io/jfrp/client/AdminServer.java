package io.jfrp.client;

import com.sun.net.httpserver.HttpExchange;
import io.jfrp.core.admin.AdminHttp;
import io.jfrp.core.config.AdminSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The client's admin API, as frp's: {@code GET /api/status} (frp's JSON; jfrp's, with the connection's
 * state, at {@code GET /api/jfrp/status}: {@link StatusJson}), Prometheus metrics at {@code GET /metrics}
 * ({@link ClientMetrics}), {@code POST /api/stop},
 * {@code GET/PUT /api/config} (the config file's text), {@code GET /api/reload} (apply the file's
 * proxies), jfrp's {@code GET/PUT /api/jfrp/log-level} ({@link io.jfrp.core.admin.LogLevelRoute}), frp's store API under {@code /api/store/proxies} ({@link StoreRoutes}), and {@code GET /healthz} (200 with an empty body, without auth, for load balancers and
 * frp's scripts), on webServer.addr:port, the rest behind basic auth when webServer.user/password are
 * set. The JDK's HTTP server is enough for a handful of requests a minute and adds no dependency.
 */
final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final AdminHttp http;

    private AdminServer(AdminHttp http) {
        this.http = http;
    }

    static AdminServer start(AdminSettings s, AdminActions client, ClientMetrics metrics) throws IOException {
        AdminHttp http = AdminHttp.start(s, "admin API", "jfrpc-admin", exchange -> {
            try {
                route(exchange, client, metrics);
            } catch (RuntimeException e) {
                log.warn("admin API request failed", e);
            }
        });
        log.info("admin API on http://{}:{}/api/status{}", s.addr(), http.port(), s.authRequired() ? " (basic auth)" : "");
        return new AdminServer(http);
    }

    private static void route(HttpExchange exchange, AdminActions client, ClientMetrics metrics) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (StoreRoutes.serves(path)) {
            StoreRoutes.route(exchange, client);
            return;
        }
        if (exchange.getRequestMethod().equals("GET") && AdminPage.serve(exchange, path)) {
            return;
        }
        if (path.equals(io.jfrp.core.admin.LogLevelRoute.PATH)) {
            io.jfrp.core.admin.LogLevelRoute.answer(exchange, log);
            return;
        }
        String route = exchange.getRequestMethod() + " " + path;
        switch (route) {
            case "GET /api/status" -> send(exchange, 200, "application/json",
                    StatusJson.frp(client.status(), client.proxies(), client.serverHost()));
            case "GET /api/jfrp/status" -> send(exchange, 200, "application/json",
                    StatusJson.jfrp(client.status(), client.proxies()));
            case "GET /metrics" -> {
                byte[] b = metrics.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", metrics.contentType());
                exchange.sendResponseHeaders(200, b.length);
                exchange.getResponseBody().write(b);
            }
            case "POST /api/stop" -> {
                log.info("stop asked through the admin API from {}", exchange.getRemoteAddress());
                send(exchange, 200, "text/plain", "");
                Thread t = new Thread(client::stop, "jfrpc-stop");
                t.setDaemon(true);
                t.start();
            }
            case "GET /api/config" -> {
                Path file = client.configFile();
                if (file == null) {
                    send(exchange, 404, "text/plain", "this client was not started from a config file\n");
                } else {
                    send(exchange, 200, "text/plain", Files.readString(file, StandardCharsets.UTF_8));
                }
            }
            case "PUT /api/config" -> putConfig(exchange, client.configFile());
            case "GET /api/reload" -> {
                try {
                    String what = client.reload();
                    log.info("config reloaded through the admin API from {}: {}", exchange.getRemoteAddress(), what);
                    send(exchange, 200, "text/plain", what + "\n");
                } catch (IllegalArgumentException e) {
                    send(exchange, 400, "text/plain", e.getMessage() + "\n");
                }
            }
            default -> send(exchange, METHODS.containsKey(path) ? 405 : 404, "text/plain",
                    METHODS.containsKey(path) ? "only " + METHODS.get(path) + "\n" : "not found\n");
        }
    }

    /** Each route's method, to answer 405 rather than 404 to the wrong one. */
    private static final java.util.Map<String, String> METHODS = java.util.Map.of("/api/status", "GET", "/api/jfrp/status", "GET", "/metrics", "GET",
            "/api/stop", "POST", "/api/config", "GET or PUT", "/api/reload", "GET");

    /** Bounds what a PUT may make the client hold: more than any config file. */
    private static final int MAX_CONFIG_BYTES = 1 << 20;

    /** frp's PUT /api/config: the new text replaces the file (atomically); GET /api/reload applies it. */
    private static void putConfig(HttpExchange ex, Path file) throws IOException {
        if (file == null) {
            send(ex, 404, "text/plain", "this client was not started from a config file\n");
            return;
        }
        byte[] body;
        try (java.io.InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_CONFIG_BYTES + 1);
        }
        if (body.length == 0 || body.length > MAX_CONFIG_BYTES) {
            send(ex, 400, "text/plain", body.length == 0 ? "empty body\n" : "more than 1 MiB\n");
            return;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".put");
        Files.write(tmp, body);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        log.info("config file {} replaced through the admin API from {}", file, ex.getRemoteAddress());
        send(ex, 200, "text/plain", "");
    }

    int port() {
        return http.port();
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        AdminHttp.send(ex, code, type, body);
    }

    @Override
    public void close() {
        http.close();
    }
}
