package io.jfrp.client;

import com.sun.net.httpserver.HttpExchange;
import io.jfrp.core.admin.AdminHttp;
import io.jfrp.core.config.ProxyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * frp's store API on the client's admin API: {@code GET/POST /api/store/proxies},
 * {@code GET/PUT/DELETE /api/store/proxies/NAME}. Each change is checked as a {@code [[proxies]]} entry
 * is (400 with why), kept in the store's file, then applied at once beside the config file's proxies.
 * Without {@code store.path} every store path answers 404, as frp's.
 */
final class StoreRoutes {

    private static final Logger log = LoggerFactory.getLogger(StoreRoutes.class);
    static final String PREFIX = "/api/store/proxies";
    /** A proxy's JSON is a few hundred bytes: this bounds what one request may make the client hold. */
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private StoreRoutes() {
    }

    static boolean serves(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/") || path.startsWith("/api/store/");
    }

    static void route(HttpExchange ex, AdminActions client) throws IOException {
        ProxyStore store = client.store();
        String path = ex.getRequestURI().getPath();
        if (store == null || !(path.equals(PREFIX) || path.startsWith(PREFIX + "/"))) {
            AdminHttp.send(ex, 404, "text/plain", store == null ? "the store is off: set store.path\n" : "not found\n");
            return;
        }
        String name = path.equals(PREFIX) ? null : path.substring(PREFIX.length() + 1);
        String method = ex.getRequestMethod();
        try {
            if (name == null && method.equals("GET")) {
                AdminHttp.send(ex, 200, "application/json", store.list());
            } else if (name == null && method.equals("POST")) {
                var p = store.create(body(ex), client::inConfigFile);
                changed(ex, client, "proxy " + p.name() + " added to the store");
            } else if (name != null && method.equals("GET")) {
                String one = store.get(name);
                AdminHttp.send(ex, one == null ? 404 : 200, one == null ? "text/plain" : "application/json",
                        one == null ? "no proxy " + name + " in the store\n" : one);
            } else if (name != null && method.equals("PUT")) {
                store.update(name, body(ex));
                changed(ex, client, "proxy " + name + " of the store changed");
            } else if (name != null && method.equals("DELETE")) {
                if (store.delete(name)) {
                    changed(ex, client, "proxy " + name + " deleted from the store");
                } else {
                    AdminHttp.send(ex, 404, "text/plain", "no proxy " + name + " in the store\n");
                }
            } else {
                AdminHttp.send(ex, 405, "text/plain", name == null ? "only GET or POST\n" : "only GET, PUT or DELETE\n");
            }
        } catch (ProxyStore.Refused e) {
            AdminHttp.send(ex, e.status(), "text/plain", e.getMessage() + "\n");
        }
    }

    private static void changed(HttpExchange ex, AdminActions client, String what) throws IOException {
        String applied = client.storeChanged();
        log.info("{} through the admin API from {}: {}", what, ex.getRemoteAddress(), applied);
        AdminHttp.send(ex, 200, "text/plain", what + ": " + applied + "\n");
    }

    private static String body(HttpExchange ex) throws IOException, ProxyStore.Refused {
        byte[] b;
        try (InputStream in = ex.getRequestBody()) {
            b = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (b.length > MAX_BODY_BYTES) {
            throw new ProxyStore.Refused(413, "a body of more than " + MAX_BODY_BYTES / 1024 + " KiB");
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
