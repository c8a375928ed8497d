package io.jfrp.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.jfrp.core.config.ProxyConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;

/**
 * The client's status as JSON, in two shapes: frp's ({@code GET /api/status}, read by frp's own tools
 * and scripts: proxies by type, each with frp's status words) and jfrp's ({@code GET /api/jfrp/status},
 * read by {@code jfrpc status}: the connection's state, round trip and reconnects as well).
 */
final class StatusJson {

    private static final JsonFactory JSON = new JsonFactory();

    private StatusJson() {
    }

    /** jfrp's shape: the connection, then each proxy. */
    static String jfrp(ClientStatus st, Collection<ProxyConfig> configs) throws IOException {
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
            if (st.lastErrorAt() != null) {
                g.writeStringField("lastErrorAt", st.lastErrorAt().toString());
            }
            g.writeNumberField("circuitOpens", st.circuitOpens());
            g.writeStringField("channel", st.channel());
            g.writeArrayFieldStart("channels");
            for (ClientStatus.Channel c : st.channels()) {
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("protocol", c.protocol());
                g.writeStringField("address", c.address());
                g.writeStringField("proxy", c.proxy());
                g.writeStringField("state", c.state());
                if (c.rttMicros() >= 0) {
                    g.writeNumberField("rttMillis", c.rttMicros() / 1000.0);
                } else {
                    g.writeNullField("rttMillis");
                }
                g.writeStringField("since", c.since().toString());
                g.writeStringField("lastError", c.lastError());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("proxies");
            for (ClientStatus.Proxy p : st.proxies()) {
                ProxyConfig c = config(configs, p.name());
                g.writeStartObject();
                g.writeStringField("name", p.name());
                g.writeStringField("type", c == null ? "tcp" : c.type().configName());
                g.writeStringField("state", p.state().statusName());
                g.writeNumberField("remotePort", p.remotePort());
                g.writeStringField("local", c == null ? "" : c.plugin() == null ? c.localIP() + ":" + c.localPort()
                        : "plugin " + c.plugin().type() + " " + (c.plugin().localAddr().isEmpty() ? c.plugin().unixPath()
                        : c.plugin().localAddr()));
                g.writeStringField("lastError", p.lastError());
                if (c != null) {
                    labels(g, "annotations", c.labels().annotations());
                    labels(g, "metadatas", c.labels().metadatas());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8) + "\n";
    }

    private static void labels(JsonGenerator g, String field, Map<String, String> labels) throws IOException {
        if (labels.isEmpty()) {
            return;
        }
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(labels).entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /**
     * frp's shape: {@code {"tcp": [{"name", "type", "status", "err", "local_addr", "plugin",
     * "remote_addr"}], "udp": [...]}}, with frp's words for the status ({@code running}, {@code wait
     * start}, {@code start error}) and the remote address as the server's host and the proxy's port.
     */
    static String frp(ClientStatus st, Collection<ProxyConfig> configs, String serverHost) throws IOException {
        Map<String, List<ClientStatus.Proxy>> byType = new LinkedHashMap<>();
        for (ClientStatus.Proxy p : st.proxies()) {
            ProxyConfig c = config(configs, p.name());
            byType.computeIfAbsent(c == null ? "tcp" : c.type().configName(), t -> new ArrayList<>()).add(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            for (Map.Entry<String, List<ClientStatus.Proxy>> e : byType.entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                for (ClientStatus.Proxy p : e.getValue()) {
                    ProxyConfig c = config(configs, p.name());
                    g.writeStartObject();
                    g.writeStringField("name", p.name());
                    g.writeStringField("type", e.getKey());
                    g.writeStringField("status", frpStatus(p.state()));
                    g.writeStringField("err", p.lastError());
                    g.writeStringField("local_addr", c == null ? "" : c.localIP() + ":" + c.localPort());
                    g.writeStringField("plugin", "");
                    g.writeStringField("remote_addr", p.state() == ProxyState.RUNNING
                            ? hostForAddress(serverHost) + ":" + p.remotePort() : "");
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8) + "\n";
    }

    private static String frpStatus(ProxyState s) {
        return switch (s) {
            case PENDING -> "wait start";
            case RUNNING -> "running";
            case REFUSED -> "start error";
            case CHECK_FAILED -> "check failed";
        };
    }

    /** An IPv6 literal in brackets, so that host:port splits as Go's net.SplitHostPort expects. */
    private static String hostForAddress(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static ProxyConfig config(Collection<ProxyConfig> configs, String name) {
        return configs.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
    }
}
