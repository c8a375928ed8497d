package io.jfrp.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jfrp.core.config.AdminSettings;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code jfrpc status -c FILE}: asks the running client's admin API and prints its state as a table. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "Show the running client's state and each proxy's, from its admin API (webServer.*). Exit 0 when "
                + "it is connected and every proxy runs, 3 when not, 1 when no client answers.")
final class StatusCommand extends AdminApiCommand {

    @Override
    int ask(AdminSettings admin, PrintWriter out) throws IOException, InterruptedException {
        Map<String, Object> status = fetch(admin, Duration.ofSeconds(5));
        print(status, out);
        // For scripts and timers: 3 while the tunnel is not whole (not connected, or a proxy refused).
        return whole(status) ? 0 : 3;
    }

    @SuppressWarnings("unchecked")
    static boolean whole(Map<String, Object> s) {
        if (!"CONNECTED".equals(String.valueOf(s.get("state")))) {
            return false;
        }
        for (Object o : (List<Object>) s.getOrDefault("proxies", List.of())) {
            if (!"running".equals(String.valueOf(((Map<String, Object>) o).get("state")))) {
                return false;
            }
        }
        return true;
    }

    /** GET /api/jfrp/status of a running client, parsed; the exception says what went wrong. */
    static Map<String, Object> fetch(AdminSettings a, Duration timeout) throws IOException, InterruptedException {
        return parse(get(a, "/api/jfrp/status", timeout));
    }

    /** GET {@code path} of a running client's admin API: the body of a 200, else an exception saying why. */
    static String get(AdminSettings a, String path, Duration timeout) throws IOException, InterruptedException {
        return call(a, "GET", path, timeout);
    }

    /** {@code method path} on a running client's admin API: the body of a 200, else an exception saying why. */
    static String call(AdminSettings a, String method, String path, Duration timeout)
            throws IOException, InterruptedException {
        String host = a.addr().equals("0.0.0.0") ? "127.0.0.1" : a.addr();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://" + host + ":" + a.port() + path))
                .timeout(timeout).method(method, HttpRequest.BodyPublishers.noBody());
        if (a.authRequired()) {
            req.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (a.user() + ":" + a.password()).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> resp;
        try {
            resp = HttpClient.newBuilder().connectTimeout(timeout).build()
                    .send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new IOException("no client answers on " + host + ":" + a.port() + " (" + why + ")", e);
        }
        if (resp.statusCode() != 200) {
            throw new IOException("the admin API answered " + resp.statusCode()
                    + (resp.statusCode() == 401 ? " (check webServer.user and webServer.password)" : "")
                    + (resp.body().isBlank() ? "" : ": " + resp.body().trim()));
        }
        return resp.body();
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> s, PrintWriter out) {
        Instant since = Instant.parse(String.valueOf(s.get("since")));
        long ago = Duration.between(since, Instant.now()).getSeconds();
        List<Object> channels = (List<Object>) s.getOrDefault("channels", List.of());
        String via = "";
        if (channels.size() == 1) {
            Map<String, Object> c = (Map<String, Object>) channels.get(0);
            via = " via " + c.get("protocol") + (str(c.get("proxy")).isEmpty() ? "" : " through " + c.get("proxy"));
        }
        out.printf("server %s%s  %s for %s  rtt %s  reconnects %s  runId %s%n", s.get("server"), via, s.get("state"),
                human(ago), millis(s.get("rttMillis")), s.get("reconnects"), s.get("runId"));
        String lastError = String.valueOf(s.getOrDefault("lastError", ""));
        if (!lastError.isEmpty()) {
            // Cleared at the next login: an error shown is one the tunnel has now, with when it happened.
            Object at = s.get("lastErrorAt");
            String when = at == null ? "" : " at " + at + ", " + human(Duration.between(Instant.parse(String.valueOf(at)),
                    Instant.now()).getSeconds()) + " ago";
            out.printf("last error%s: %s (%s consecutive failures)%n", when, lastError, s.get("consecutiveFailures"));
        }
        if (channels.size() > 1) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"CHANNEL", "PROTOCOL", "ADDRESS", "STATE", "RTT", "FOR", "LAST ERROR"});
            for (Object o : channels) {
                Map<String, Object> c = (Map<String, Object>) o;
                String address = str(c.get("address")) + (str(c.get("proxy")).isEmpty() ? "" : " through " + c.get("proxy"));
                long forSeconds = Duration.between(Instant.parse(str(c.get("since"))), Instant.now()).getSeconds();
                rows.add(new String[]{str(c.get("name")), str(c.get("protocol")), address, str(c.get("state")),
                        millis(c.get("rttMillis")), human(forSeconds), str(c.get("lastError"))});
            }
            out.println();
            table(rows, out);
        }
        List<Object> proxies = (List<Object>) s.getOrDefault("proxies", List.of());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"NAME", "TYPE", "STATE", "REMOTE", "LOCAL", "LAST ERROR"});
        for (Object o : proxies) {
            Map<String, Object> p = (Map<String, Object>) o;
            Object port = p.get("remotePort");
            rows.add(new String[]{str(p.get("name")), str(p.get("type")), str(p.get("state")),
                    port instanceof Number n && n.intValue() > 0 ? String.valueOf(n) : "-", str(p.get("local")),
                    str(p.get("lastError"))});
        }
        out.println();
        table(rows, out);
        out.flush();
    }

    /** Rows in columns as wide as their widest cell; the last column is not padded. */
    private static void table(List<String[]> rows, PrintWriter out) {
        int columns = rows.get(0).length;
        int[] w = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns - 1; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns - 1; i++) {
                line.append(String.format("%-" + w[i] + "s  ", r[i]));
            }
            out.println(line.append(r[columns - 1]).toString().stripTrailing());
        }
    }

    private static String millis(Object rtt) {
        return rtt instanceof Number n ? String.format("%.2f ms", n.doubleValue()) : "-";
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    private static String human(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + seconds % 60 + "s";
        }
        return seconds / 3600 + "h" + (seconds % 3600) / 60 + "m";
    }

    /** JSON to maps and lists; jackson-core's streaming parser is already on the classpath. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String json) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            return (Map<String, Object>) value(p);
        }
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Object> m = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                m.put(k, value(p));
            }
            return m;
        }
        if (t == JsonToken.START_ARRAY) {
            List<Object> l = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                l.add(value(p));
            }
            return l;
        }
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            default -> null;
        };
    }
}
