package io.jfrp.client;

import com.sun.net.httpserver.HttpExchange;
import io.jfrp.core.admin.AdminHttp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The client's admin page at {@code /} (status, channels, proxies), from the jar; it polls {@code /api/jfrp/status}. */
final class AdminPage {

    private static final String ROOT = "/io/jfrp/client/admin/";
    private static final Map<String, String> FILES = Map.of("/", "index.html", "/index.html", "index.html",
            "/static/admin.js", "admin.js", "/static/admin.css", "admin.css");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private AdminPage() {
    }

    /** @return whether {@code path} was the page's to answer */
    static boolean serve(HttpExchange ex, String path) throws IOException {
        String name = FILES.get(path);
        if (name == null) {
            return false;
        }
        try (InputStream in = AdminPage.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                AdminHttp.send(ex, 404, "text/plain", "not found\n");
                return true;
            }
            byte[] body = in.readAllBytes();
            ex.getResponseHeaders().set("Content-Type", TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
        return true;
    }
}
