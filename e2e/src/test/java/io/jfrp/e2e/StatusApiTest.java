package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.AdminSettings;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import io.jfrp.testing.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's admin API: what `jfrpc status` reads. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class StatusApiTest {

    @TempDir
    Path dir;

    @Test
    void statusShowsStateServerRttAndEachProxyBehindBasicAuth() throws Exception {
        try (EchoServer echo = new EchoServer(); JfrpServer server = Tunnels.server(dir);
             java.net.Socket reserved = Loopback.reservedPort()) {
            int dead = reserved.getLocalPort();
            try (JfrpClient client = JfrpClient.start(Tunnels.clientConfig(server, new io.jfrp.core.config.TcpProxyConfig("web", "127.0.0.1",
                    echo.port(), 0, new io.jfrp.core.config.ProxyLabels(java.util.Map.of("team", "ops"), java.util.Map.of())),
                    Tunnels.tcp("dead", dead, 0)).withAdmin(new AdminSettings("127.0.0.1", 0, "admin", "s3cret")))) {
                int admin = client.adminPort();
                int port = Tunnels.awaitRunning(client, "web");
                Tunnels.awaitRunning(client, "dead");
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", Tunnels.awaitRunning(client, "dead"))) {
                    s.setSoTimeout(5000);
                    // A reset, not an empty reply: the service cannot be reached. Its error is recorded.
                    assertThat(Loopback.readToEnd(s)).isEqualTo(Loopback.End.RESET);
                }
                HttpClient http = HttpClient.newHttpClient();
                URI uri = URI.create("http://127.0.0.1:" + admin + "/api/jfrp/status");
                HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(anonymous.statusCode()).isEqualTo(401);

                String auth = "Basic " + Base64.getEncoder().encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8));
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> client.status().rttMicros() >= 0);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", auth).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("\"state\" : \"CONNECTED\"")
                        .contains("\"server\" : \"127.0.0.1:" + server.port() + "\"")
                        .contains("\"runId\" : \"" + client.runId() + "\"")
                        .contains("\"rttMillis\" : ")
                        .contains("\"name\" : \"web\"").contains("\"remotePort\" : " + port)
                        .contains("\"state\" : \"running\"")
                        .contains("\"annotations\" : {\n      \"team\" : \"ops\"\n    }")
                        .contains("unreachable");
                // frp's shape where frp's tools read it: proxies by type, frp's words, the server's host and the port.
                HttpResponse<String> frp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin
                        + "/api/status")).header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(frp.statusCode()).isEqualTo(200);
                assertThat(frp.body()).startsWith("{\n  \"tcp\" : [").doesNotContain("\"udp\"");
                String web = java.util.Arrays.stream(frp.body().split("}")).filter(o -> o.contains("\"name\" : \"web\""))
                        .findFirst().orElseThrow();
                assertThat(web).contains("\"type\" : \"tcp\"", "\"status\" : \"running\"", "\"err\" : \"\"",
                        "\"local_addr\" : \"127.0.0.1:" + echo.port() + "\"", "\"remote_addr\" : \"127.0.0.1:" + port + "\"");
                // Prometheus metrics on the admin port: the state, each proxy, its streams and bytes.
                byte[] sent = io.jfrp.testing.RandomBytes.of(10_000, 3);
                assertThat(Loopback.echo(port, sent, 10)).isEqualTo(sent);
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics")).header("Authorization", auth)
                                .build(), HttpResponse.BodyHandlers.ofString()).body()
                        .contains("jfrp_client_traffic_in_total{name=\"web\",type=\"tcp\"} 10000.0"));
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics"))
                        .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("jfrp_client_state{state=\"connected\"} 1.0", "jfrp_client_state{state=\"reconnecting\"} 0.0",
                        "jfrp_client_proxy_up{name=\"web\",state=\"running\",type=\"tcp\"} 1.0",
                        "jfrp_client_traffic_out_total{name=\"web\",type=\"tcp\"} 10000.0",
                        "jfrp_client_streams{name=\"web\",type=\"tcp\"} 0.0", "jfrp_client_rtt_seconds ",
                        "jfrp_client_circuit_opens_total 0.0", "jfrp_client_channel_up{channel=\"server\",protocol=\"tcp\",state=\"active\"} 1.0",
                        "jfrp_client_heartbeat_rtt_seconds_bucket{le=\"+Inf\"} ", "jfrp_client_descriptors{kind=\"limit\"} ");
                assertThat(metrics).as("a round trip was measured: the histogram counted it")
                        .doesNotContain("jfrp_client_heartbeat_rtt_seconds_count 0");
                // As frp's: a health check needs no password and gets an empty 200.
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + admin + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).isEmpty();

                URI stop = URI.create("http://127.0.0.1:" + admin + "/api/stop");
                assertThat(http.send(HttpRequest.newBuilder(stop).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as("stop needs the password").isEqualTo(401);
                assertThat(http.send(HttpRequest.newBuilder(stop).header("Authorization", auth).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as("stop is a POST").isEqualTo(405);
                HttpResponse<String> stopped = http.send(HttpRequest.newBuilder(stop).header("Authorization", auth)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(stopped.statusCode()).isEqualTo(200);
                assertThat(client.terminated().get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("stopped");
                // It said goodbye: the server closed its ports at once, not after a grace period.
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                        .until(() -> !Tunnels.listening(port) && server.sessionCount() == 0);
            }
        }
    }

    @Test
    void aHalfSentRequestDoesNotDelayAnother() throws Exception {
        try (JfrpServer server = Tunnels.server(dir);
             JfrpClient client = JfrpClient.start(Tunnels.clientConfig(server)
                     .withAdmin(new AdminSettings("127.0.0.1", 0, "", "")))) {
            int admin = client.adminPort();
            java.util.List<java.net.Socket> stalled = new java.util.ArrayList<>();
            try {
                // Two clients that stop in the middle of their request's head, and never go on.
                for (int i = 0; i < 2; i++) {
                    java.net.Socket s = new java.net.Socket("127.0.0.1", admin);
                    s.getOutputStream().write("GET /api/jfrp/status HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                    stalled.add(s);
                }
                long start = System.nanoTime();
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + admin + "/api/jfrp/status"))
                        .timeout(java.time.Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(2));
            } finally {
                for (java.net.Socket s : stalled) {
                    s.close();
                }
            }
        }
    }
}
