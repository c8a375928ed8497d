package io.jfrp.server;

import io.jfrp.core.config.ProxyType;
import io.jfrp.core.mux.MemoryBudget;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The server's Prometheus metrics under frp's names (dashboards and alerts written for frp keep
 * working): clients online, proxies by type (0 for a type with none, so a gauge never vanishes),
 * connections and traffic per proxy. Read from {@link ServerStats} at each scrape; nothing is counted
 * twice. Counters carry Prometheus's {@code _total} suffix ({@code frp_server_traffic_in_total}).
 */
final class ServerMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** @param certificateNotAfter when the server's certificate expires (epoch seconds); 0 when unknown */
    ServerMetrics(ServerStats stats, MemoryBudget memory, LoginFailures logins, long certificateNotAfter) {
        if (certificateNotAfter > 0) {
            GaugeWithCallback.builder().name("jfrp_server_certificate_expiry_timestamp_seconds")
                    .help("When the server's TLS certificate expires (Unix time)")
                    .callback(cb -> cb.call(certificateNotAfter)).register(registry);
        }
        GaugeWithCallback.builder().name("frp_server_client_counts").help("Clients logged in now")
                .callback(cb -> cb.call(stats.clientsOnline())).register(registry);
        GaugeWithCallback.builder().name("frp_server_proxy_counts").help("Proxies whose client is logged in now, by type")
                .labelNames("type")
                .callback(cb -> {
                    for (ProxyType t : ProxyType.values()) {
                        if (t.served()) {
                            cb.call(stats.proxies().stream().filter(p -> p.type == t && stats.online(p)).count(), t.configName());
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("frp_server_connection_counts").help("User connections (and UDP flows) open now, by proxy")
                .labelNames("name", "type")
                .callback(cb -> stats.proxies().forEach(p -> cb.call(p.connections.get(), p.name, p.type.configName())))
                .register(registry);
        // jfrp's own, beside frp's names.
        GaugeWithCallback.builder().name("jfrp_server_sessions_waiting")
                .help("Sessions whose client is away, kept for their grace period")
                .callback(cb -> cb.call(stats.clients().stream().filter(c -> !c.online()).count())).register(registry);
        GaugeWithCallback.builder().name("jfrp_server_held_bytes")
                .help("Bytes the streams hold for users who have not taken them (the memory budget in use)")
                .callback(cb -> cb.call(memory.used())).register(registry);
        GaugeWithCallback.builder().name("jfrp_server_held_bytes_limit").help("The memory budget of all sessions together")
                .callback(cb -> cb.call(memory.processLimit())).register(registry);
        CounterWithCallback.builder().name("jfrp_server_login_failures").help("Logins refused, by reason")
                .labelNames("reason")
                .callback(cb -> logins.counts().forEach((reason, n) -> cb.call(n, reason))).register(registry);
        GaugeWithCallback.builder().name("jfrp_server_descriptors").help("Descriptors open now, and the limit")
                .labelNames("kind")
                .callback(cb -> {
                    io.jfrp.core.net.Descriptors d = io.jfrp.core.net.Descriptors.now();
                    if (d != null) {
                        if (d.open() >= 0) {
                            cb.call(d.open(), "open");
                        }
                        cb.call(d.limit(), "limit");
                    }
                }).register(registry);
        CounterWithCallback.builder().name("frp_server_traffic_in").help("Bytes users sent, by proxy")
                .labelNames("name", "type")
                .callback(cb -> stats.proxies().forEach(p -> cb.call(p.trafficIn.get(), p.name, p.type.configName())))
                .register(registry);
        CounterWithCallback.builder().name("frp_server_traffic_out").help("Bytes users received, by proxy")
                .labelNames("name", "type")
                .callback(cb -> stats.proxies().forEach(p -> cb.call(p.trafficOut.get(), p.name, p.type.configName())))
                .register(registry);
    }

    String contentType() {
        return writer.getContentType();
    }

    /** The text exposition format, as Prometheus scrapes it. */
    String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, registry.scrape(), EscapingScheme.DEFAULT);
        return out.toString(StandardCharsets.UTF_8);
    }
}
