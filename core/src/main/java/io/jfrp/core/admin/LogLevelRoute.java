package io.jfrp.core.admin;

import com.sun.net.httpserver.HttpExchange;
import io.jfrp.core.log.LogLevel;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * jfrp's {@code PUT /api/jfrp/log-level?level=debug} on either side's admin port: the level changes at
 * once, without a reload (a reload of a file whose log.level differs changes it too). {@code GET}
 * answers the level now.
 */
public final class LogLevelRoute {

    public static final String PATH = "/api/jfrp/log-level";

    private LogLevelRoute() {
    }

    public static void answer(HttpExchange ex, org.slf4j.Logger log) throws IOException {
        if (ex.getRequestMethod().equals("GET")) {
            AdminHttp.send(ex, 200, "text/plain", LogLevel.current() + "\n");
            return;
        }
        if (!ex.getRequestMethod().equals("PUT")) {
            AdminHttp.send(ex, 405, "text/plain", "only GET or PUT\n");
            return;
        }
        String level = null;
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            for (String kv : query.split("&")) {
                if (kv.startsWith("level=")) {
                    level = URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8);
                }
            }
        }
        if (level == null) {
            AdminHttp.send(ex, 400, "text/plain", "say which level: ?level=trace|debug|info|warn|error\n");
            return;
        }
        try {
            String was = LogLevel.current();
            java.util.Optional<String> now = LogLevel.set(level);
            if (now.isEmpty()) {
                AdminHttp.send(ex, 501, "text/plain", "this process's logging is its embedder's: set the level there\n");
                return;
            }
            log.warn("log level {} (was {}), set through the admin API from {}", now.get(), was, ex.getRemoteAddress());
            AdminHttp.send(ex, 200, "text/plain", "log level " + now.get() + " (was " + was + ")\n");
        } catch (IllegalArgumentException e) {
            AdminHttp.send(ex, 400, "text/plain", e.getMessage() + "\n");
        }
    }
}
