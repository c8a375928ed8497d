package io.jfrp.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jfrp.core.config.AdminSettings;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ProxyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The client's admin API, as frp's: {@code GET /api/status} (JSON), {@code POST /api/stop}, and
 * {@code GET /healthz} (200 with an empty body, without auth, for load balancers and frp's scripts),
 * on webServer.addr:port, the rest behind basic auth when webServer.user/password are set. The JDK's
 * HTTP server is enough for a handful of requests a minute and adds no dependency.
 */
final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final HttpServer http;
    private final ExecutorService executor;

    private AdminServer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /** @param stop stops the client; called on a thread of its own after the answer to /api/stop went out */
    static AdminServer start(AdminSettings s, ClientConfig config, Supplier<ClientStatus> status, Runnable stop)
            throws IOException {
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
                    case "GET /api/status" -> send(exchange, 200, "application/json", json(status.get(), config));
                    case "POST /api/stop" -> {
                        log.info("stop asked through the admin API from {}", exchange.getRemoteAddress());
                        send(exchange, 200, "text/plain", "");
                        Thread t = new Thread(stop, "jfrpc-stop");
                        t.setDaemon(true);
                        t.start();
                    }
                    default -> send(exchange, path.equals("/api/status") || path.equals("/api/stop") ? 405 : 404,
                            "text/plain", path.equals("/api/stop") ? "only POST\n" : path.equals("/api/status")
                                    ? "only GET\n" : "not found\n");
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

    static String json(ClientStatus st, ClientConfig config) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("state", st.state().name());
            g.writeStringField("since", st.since().toString());
            g.writeStringField("server", st.server());
            g.writeStringField("runId", st.runId());
            if (st.rttMicros() >= 0) {
                g.writeNumberField("rttMillis", st.rttMicros() / 1000.0);
            } else {
                g.writeNullField("rttMillis");
            }
            g.writeNumberField("reconnects", st.reconnects());
            g.writeNumberField("consecutiveFailures", st.consecutiveFailures());
            g.writeStringField("lastError", st.lastError());
            g.writeArrayFieldStart("proxies");
            for (ClientStatus.Proxy p : st.proxies()) {
                ProxyConfig c = config.proxies().stream().filter(x -> x.name().equals(p.name())).findFirst().orElse(null);
                g.writeStartObject();
                g.writeStringField("name", p.name());
                g.writeStringField("type", c == null ? "tcp" : c.type().configName());
                g.writeStringField("state", p.state().statusName());
                g.writeNumberField("remotePort", p.remotePort());
                g.writeStringField("local", c == null ? "" : c.localIP() + ":" + c.localPort());
                g.writeStringField("lastError", p.lastError());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8) + "\n";
    }

    @Override
    public void close() {
        http.stop(0);
        // The HTTP server does not own the executor it was given: its thread stayed after every stop.
        executor.shutdownNow();
    }
}
