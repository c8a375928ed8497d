package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.AdminSettings;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.Loopback;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import io.jfrp.testing.UdpEchoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** jfrps's web server as frp's: /healthz for anyone, serverinfo and proxies behind basic auth, in frp's shapes. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class ServerWebTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();
    private final HttpClient http = HttpClient.newHttpClient();
    private int web;

    private HttpResponse<String> get(String path, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + path));
        if (auth) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:pw".getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serverInfoAndProxiesShowClientsPortsAndTraffic() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)
                .withWebServer(new AdminSettings("127.0.0.1", 0, "admin", "pw", true, true))));
        web = server.webServerPort();
        EchoServer echo = closer.keep(new EchoServer());
        UdpEchoServer udpEcho = closer.keep(new UdpEchoServer());
        JfrpClient client = closer.keep(Tunnels.client(server, new io.jfrp.core.config.TcpProxyConfig("web", "127.0.0.1",
                        echo.port(), 0, new io.jfrp.core.config.ProxyLabels(java.util.Map.of("frp.e2e.test/foo", "value1"),
                        java.util.Map.of())),
                Tunnels.udp("dns", udpEcho.port(), 0)));
        int port = Tunnels.awaitRunning(client, "web");
        Tunnels.awaitRunning(client, "dns");
        byte[] data = RandomBytes.of(100_000, 7);
        assertThat(RandomBytes.sha256(Loopback.echo(port, data, 10))).isEqualTo(RandomBytes.sha256(data));

        HttpResponse<String> health = get("/healthz", false);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEmpty();
        assertThat(get("/", false).statusCode()).isEqualTo(401);
        assertThat(get("/api/serverinfo", false).statusCode()).isEqualTo(401);

        // The echo's stream reports its bytes when it closes: users sent 100,000 and received as many.
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/serverinfo", true).body()
                .contains("\"totalTrafficIn\" : 100000"));
        String info = get("/api/serverinfo", true).body();
        assertThat(info).contains("\"bindPort\" : " + server.port(), "\"totalTrafficOut\" : 100000",
                "\"curConns\" : 0", "\"clientCounts\" : 1", "\"tcp\" : 1", "\"udp\" : 1");

        String tcp = get("/api/proxy/tcp", true).body();
        assertThat(tcp).contains("\"name\" : \"web\"", "\"remotePort\" : " + port, "\"todayTrafficIn\" : 100000",
                "\"status\" : \"online\"").doesNotContain("\"dns\"");
        assertThat(get("/api/proxy/udp/dns", true).body()).contains("\"type\" : \"udp\"");
        // frp's annotations travel with the proxy and show in its conf, as frp's API has them.
        assertThat(get("/api/proxy/tcp/web", true).body()).contains("\"annotations\" : {\n      \"frp.e2e.test/foo\" : \"value1\"");
        assertThat(get("/api/proxy/tcp/nope", true).statusCode()).isEqualTo(404);
        String clients = get("/api/clients?status=online", true).body();
        assertThat(clients).contains("\"clientID\" : \"" + client.runId() + "\"", "\"online\" : true");

        // frp's metric names, so dashboards written for frp keep working; a gauge per served type.
        HttpResponse<String> metrics = get("/metrics", true);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("frp_server_client_counts 1.0", "frp_server_proxy_counts{type=\"tcp\"} 1.0",
                "frp_server_proxy_counts{type=\"udp\"} 1.0", "frp_server_traffic_in_total{name=\"web\",type=\"tcp\"} 100000.0",
                "frp_server_connection_counts{name=\"web\",type=\"tcp\"} 0.0", "jfrp_server_sessions_waiting 0.0",
                "jfrp_server_held_bytes 0.0", "jfrp_server_descriptors{kind=\"open\"} ",
                "jfrp_server_certificate_expiry_timestamp_seconds ");
        // A wrong token, counted by reason.
        JfrpClient thief = JfrpClient.start(Tunnels.clientConfig(server).withUser("", "wrong-token"));
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/metrics", true).body()
                .contains("jfrp_server_login_failures_total{reason=\"auth_failed\"} "));
        thief.close();
        assertThat(get("/debug/pprof/goroutine?debug=2", true).body()).contains("\"jfrps-web-", "ThreadDump.of");
        assertThat(get("/api/nothing", true).statusCode()).isEqualTo(404);

        client.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/serverinfo", true).body()
                .contains("\"clientCounts\" : 0"));
        assertThat(get("/api/proxy/tcp", true).body()).doesNotContain("\"web\"");
        assertThat(get("/metrics", true).body()).contains("frp_server_client_counts 0.0",
                "frp_server_proxy_counts{type=\"tcp\"} 0.0");
    }
}
