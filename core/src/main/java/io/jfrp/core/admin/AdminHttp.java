package io.jfrp.core.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.jfrp.core.config.AdminSettings;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An admin HTTP server as frp's (webServer.*): {@code GET /healthz} answers 200 with an empty body to
 * anyone (load balancers, frp's scripts); every other path needs basic auth when a user or password is
 * set. The JDK's HTTP server is enough for a handful of requests a minute and adds no dependency. It
 * reads each request's head on a worker thread: with one worker, a client that sent half a request
 * held every other (`jfrpc status` included) until it closed. So a few daemon workers serve it, and a
 * request not read whole within {@link #MAX_REQUEST_SECONDS} has its connection closed by the server.
 */
public final class AdminHttp implements AutoCloseable {

    static final int WORKERS = 4;
    static final int MAX_REQUEST_SECONDS = 10;

    static {
        // Read once, when the JDK's server is first used in this process; an operator's -D setting wins.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", String.valueOf(MAX_REQUEST_SECONDS));
        }
    }

    private final HttpServer http;
    private final ExecutorService executor;

    private AdminHttp(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /**
     * Listens on {@code s.addr():s.port()}; {@code routes} gets each authorized request but /healthz.
     * @param what names the server in errors and the thread ("admin API", "web server")
     */
    public static AdminHttp start(AdminSettings s, String what, String threadName, HttpHandler routes)
            throws IOException {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(s.addr(), s.port()), 16);
        } catch (IOException e) {
            throw new IOException("cannot start the " + what + " on " + s.addr() + ":" + s.port() + " (webServer.*): "
                    + e.getMessage(), e);
        }
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/", exchange -> {
            try (exchange) {
                if (exchange.getRequestURI().getPath().equals("/healthz") && exchange.getRequestMethod().equals("GET")) {
                    send(exchange, 200, "text/plain", "");
                    return;
                }
                if (s.authRequired() && !authorized(exchange, s)) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + threadName + "\"");
                    send(exchange, 401, "text/plain", "unauthorized\n");
                    return;
                }
                routes.handle(exchange);
            }
        });
        http.start();
        return new AdminHttp(http, executor);
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Answers with {@code body}; an empty body is sent as none (the JDK reads 0 as "chunked"). */
    public static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
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

    @Override
    public void close() {
        http.stop(0);
        // The HTTP server does not own the executor it was given: its thread stayed after every stop.
        executor.shutdownNow();
    }
}
