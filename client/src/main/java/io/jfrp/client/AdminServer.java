package io.jfrp.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jfrp.core.config.AdminSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The client's admin API, as frp's: {@code GET /api/status} (frp's JSON; jfrp's, with the connection's
 * state, at {@code GET /api/jfrp/status}: {@link StatusJson}), {@code POST /api/stop},
 * {@code GET/PUT /api/config} (the config file's text), {@code GET /api/reload} (apply the file's
 * proxies), and {@code GET /healthz} (200 with an empty body, without auth, for load balancers and
 * frp's scripts), on webServer.addr:port, the rest behind basic auth when webServer.user/password are
 * set. The JDK's HTTP server is enough for a handful of requests a minute and adds no dependency.
 */
final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final HttpServer http;
    private final ExecutorService executor;

    private AdminServer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    static AdminServer start(AdminSettings s, AdminActions client) throws IOException {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(s.addr(), s.port()), 16);
        } catch (IOException e) {
            throw new IOException("cannot start the admin API on " + s.addr() + ":" + s.port() + " (webServer.*): "
                    + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jfrpc-admin");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                if (path.equals("/healthz") && method.equals("GET")) {
                    send(exchange, 200, "text/plain", "");
                    return;
                }
                if (s.authRequired() && !authorized(exchange, s)) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"jfrpc\"");
                    send(exchange, 401, "text/plain", "unauthorized\n");
                    return;
                }
                String route = method + " " + path;
                switch (route) {
                    case "GET /api/status" -> send(exchange, 200, "application/json",
                            StatusJson.frp(client.status(), client.proxies(), client.serverHost()));
                    case "GET /api/jfrp/status" -> send(exchange, 200, "application/json",
                            StatusJson.jfrp(client.status(), client.proxies()));
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
            } catch (RuntimeException e) {
                log.warn("admin API request failed", e);
            }
        });
        http.start();
        log.info("admin API on http://{}:{}/api/status{}", s.addr(), http.getAddress().getPort(),
                s.authRequired() ? " (basic auth)" : "");
        return new AdminServer(http, executor);
    }

    /** Each route's method, to answer 405 rather than 404 to the wrong one. */
    private static final java.util.Map<String, String> METHODS = java.util.Map.of("/api/status", "GET", "/api/jfrp/status", "GET",
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
        return http.getAddress().getPort();
    }

    private static boolean authorized(HttpExchange ex, AdminSettings s) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = (s.user() + ":" + s.password()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        // -1: no body at all (0 would mean a chunked one to the JDK's server).
        ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        // The HTTP server does not own the executor it was given: its thread stayed after every stop.
        executor.shutdownNow();
    }
}
