package io.jfrp.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import io.jfrp.core.admin.AdminHttp;
import io.jfrp.protocol.Wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's dashboard on its web server: the page and its files at {@code /} and {@code /static/}
 * (from the jar: plain modules and uPlot, no build step), and the one document the page polls,
 * {@code GET /api/jfrp/overview}: the server's counts, every proxy with its traffic and connections, every
 * client (online, or away within its grace), refused logins by reason and the latest few.
 */
final class Dashboard {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String ROOT = "/io/jfrp/server/dashboard/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "txt", "text/plain; charset=utf-8");

    private Dashboard() {
    }

    /** @return whether {@code path} was the dashboard's to answer */
    static boolean serve(HttpExchange ex, String path, ServerStats stats, LoginFailures logins) throws IOException {
        if (path.equals("/") || path.equals("/index.html")) {
            file(ex, "index.html");
            return true;
        }
        if (path.equals("/favicon.ico")) {
            ex.sendResponseHeaders(204, -1);
            return true;
        }
        if (path.startsWith("/static/")) {
            String name = path.substring("/static/".length());
            // Only the files the page is made of: no path leaves the dashboard's directory.
            if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
                AdminHttp.send(ex, 404, "text/plain", "not found\n");
                return true;
            }
            file(ex, name);
            return true;
        }
        if (path.equals("/api/jfrp/overview")) {
            AdminHttp.send(ex, 200, "application/json", overview(stats, logins));
            return true;
        }
        return false;
    }

    private static void file(HttpExchange ex, String name) throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                AdminHttp.send(ex, 404, "text/plain", "not found\n");
                return;
            }
            byte[] body = in.readAllBytes();
            String ext = name.substring(name.lastIndexOf('.') + 1);
            ex.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    static String overview(ServerStats stats, LoginFailures logins) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("version", Wire.SOFTWARE_VERSION);
            g.writeNumberField("clientsOnline", stats.clientsOnline());
            g.writeNumberField("sessionsInGrace", stats.clients().stream().filter(c -> !c.online()).count());
            g.writeNumberField("connections", stats.connections());
            g.writeNumberField("trafficIn", stats.trafficIn());
            g.writeNumberField("trafficOut", stats.trafficOut());
            g.writeArrayFieldStart("proxies");
            for (ServerStats.Proxy p : stats.proxies().stream().sorted(Comparator.comparing(p -> p.name)).toList()) {
                g.writeStartObject();
                g.writeStringField("name", p.name);
                g.writeStringField("type", p.type.configName());
                g.writeNumberField("port", p.port);
                g.writeStringField("client", p.session);
                g.writeStringField("status", stats.online(p) ? "online" : "offline");
                g.writeNumberField("connections", p.connections.get());
                g.writeNumberField("trafficIn", p.trafficIn.get());
                g.writeNumberField("trafficOut", p.trafficOut.get());
                g.writeStringField("since", p.since.toString());
                g.writeObjectFieldStart("annotations");
                for (Map.Entry<String, String> e : new TreeMap<>(p.annotations).entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("clients");
            for (ServerStats.Client c : stats.clients()) {
                g.writeStartObject();
                g.writeStringField("runId", c.runId());
                g.writeStringField("user", c.user());
                g.writeStringField("host", c.host());
                g.writeStringField("address", c.peer());
                g.writeBooleanField("online", c.online());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("loginFailures");
            for (Map.Entry<String, Long> e : logins.counts().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("recentLoginFailures");
            for (LoginFailures.Refusal r : logins.latest()) {
                g.writeStartObject();
                g.writeStringField("at", r.at().toString());
                g.writeStringField("address", r.peer());
                g.writeStringField("user", r.user());
                g.writeStringField("reason", r.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8) + "\n";
    }
}
