package io.jfrp.client;

import io.jfrp.core.config.ProxyConfig;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * The client's Prometheus metrics on its admin API ({@code GET /metrics}): its state, reconnects,
 * failures in a row and last round trip; per proxy whether it runs or was refused, streams open,
 * streams that ended broken, and bytes each way. Read at each scrape from the status and
 * {@link ClientStreams}.
 */
final class ClientMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** Heartbeat round trips of the session's channel (seconds), from 0.5 ms to 5 s. */
    private final io.prometheus.metrics.core.metrics.Histogram rtt;

    ClientMetrics(AdminActions client, ClientStreams streams, String userPrefix) {
        Supplier<ClientStatus> status = client::status;
        rtt = io.prometheus.metrics.core.metrics.Histogram.builder().name("jfrp_client_heartbeat_rtt_seconds")
                .help("Heartbeat round trips of the session's channel")
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .register(registry);
        CounterWithCallback.builder().name("jfrp_client_circuit_opens").help("Outages long enough to open the circuit breaker")
                .callback(cb -> cb.call(status.get().circuitOpens())).register(registry);
        GaugeWithCallback.builder().name("jfrp_client_channel_up")
                .help("1 for the channel the session is on, by channel (its transport and health state as labels)")
                .labelNames("channel", "protocol", "state")
                .callback(cb -> status.get().channels().forEach(ch ->
                        cb.call("active".equals(ch.state()) ? 1 : 0, ch.name(), ch.protocol(), ch.state())))
                .register(registry);
        GaugeWithCallback.builder().name("jfrp_client_descriptors").help("Descriptors open now, and the limit")
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
        GaugeWithCallback.builder().name("jfrp_client_state").help("1 for the state the client is in, by state")
                .labelNames("state")
                .callback(cb -> {
                    ClientState now = status.get().state();
                    for (ClientState s : ClientState.values()) {
                        cb.call(s == now ? 1 : 0, s.name().toLowerCase(java.util.Locale.ROOT));
                    }
                }).register(registry);
        CounterWithCallback.builder().name("jfrp_client_reconnects").help("Channels lost and found again")
                .callback(cb -> cb.call(status.get().reconnects())).register(registry);
        GaugeWithCallback.builder().name("jfrp_client_consecutive_failures").help("Failed attempts since the last login")
                .callback(cb -> cb.call(status.get().consecutiveFailures())).register(registry);
        GaugeWithCallback.builder().name("jfrp_client_rtt_seconds").help("The last heartbeat round trip (absent before one)")
                .callback(cb -> {
                    long micros = status.get().rttMicros();
                    if (micros >= 0) {
                        cb.call(micros / 1e6);
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("jfrp_client_proxy_up").help("1 when the server runs the proxy, by proxy")
                .labelNames("name", "type", "state")
                .callback(cb -> {
                    Collection<ProxyConfig> configs = client.proxies();
                    for (ClientStatus.Proxy p : status.get().proxies()) {
                        cb.call(p.state() == ProxyState.RUNNING ? 1 : 0, p.name(), type(configs, p.name()),
                                p.state().statusName());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("jfrp_client_streams").help("Streams (user connections, UDP flows) open now, by proxy")
                .labelNames("name", "type")
                .callback(cb -> client.proxies().forEach(p ->
                        cb.call(streams.of(userPrefix + p.name()).open.get(), p.name(), p.type().configName())))
                .register(registry);
        CounterWithCallback.builder().name("jfrp_client_streams_broken").help("Streams that ended by a reset or a lost channel, by proxy")
                .labelNames("name", "type")
                .callback(cb -> client.proxies().forEach(p ->
                        cb.call(streams.of(userPrefix + p.name()).broken.get(), p.name(), p.type().configName())))
                .register(registry);
        CounterWithCallback.builder().name("jfrp_client_traffic_in").help("Bytes users sent to the local service, by proxy")
                .labelNames("name", "type")
                .callback(cb -> client.proxies().forEach(p ->
                        cb.call(streams.of(userPrefix + p.name()).in.get(), p.name(), p.type().configName())))
                .register(registry);
        CounterWithCallback.builder().name("jfrp_client_traffic_out").help("Bytes the local service sent to users, by proxy")
                .labelNames("name", "type")
                .callback(cb -> client.proxies().forEach(p ->
                        cb.call(streams.of(userPrefix + p.name()).out.get(), p.name(), p.type().configName())))
                .register(registry);
    }

    /** One heartbeat's round trip, in nanoseconds (called on the client's loop: a histogram observe is lock-free). */
    void observeRtt(long nanos) {
        rtt.observe(nanos / 1e9);
    }

    private static String type(Collection<ProxyConfig> configs, String name) {
        return configs.stream().filter(c -> c.name().equals(name)).map(c -> c.type().configName()).findFirst().orElse("");
    }

    String contentType() {
        return writer.getContentType();
    }

    String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, registry.scrape(), EscapingScheme.DEFAULT);
        return out.toString(StandardCharsets.UTF_8);
    }
}
