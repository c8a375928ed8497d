package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.AdminSettings;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** frp's store API: proxies created, changed and deleted at run time, applied at once, kept across a restart. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class StoreApiTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> call(JfrpClient c, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.adminPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String proxy(String name, int localPort, int remotePort) {
        return "{\"name\":\"" + name + "\",\"type\":\"tcp\",\"tcp\":{\"localIP\":\"127.0.0.1\",\"localPort\":" + localPort
                + ",\"remotePort\":" + remotePort + "}}";
    }

    @Test
    void proxiesMadeThroughTheApiRunAtOnceChangeGoAndComeBackAfterARestart() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = closer.keep(Tunnels.server(dir));
        ClientConfig config = Tunnels.clientConfig(server, Tunnels.tcp("file", echo.port(), 0))
                .withAdmin(new AdminSettings("127.0.0.1", 0, "", "")).withStoreFile(dir.resolve("store.json"));
        JfrpClient client = JfrpClient.start(config);
        Tunnels.awaitRunning(client, "file");
        int first = Tunnels.freePort();
        int second = Tunnels.freePort();

        assertThat(call(client, "POST", "/api/store/proxies", proxy("api", echo.port(), first)).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Tunnels.echoes(first));
        assertThat(call(client, "POST", "/api/store/proxies", proxy("file", echo.port(), 0)).statusCode())
                .as("the config file's proxy's name").isEqualTo(409);
        HttpResponse<String> bad = call(client, "POST", "/api/store/proxies",
                "{\"name\":\"bad\",\"type\":\"tcp\",\"tcp\":{\"localPort\":\"eighty\"}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("localPort");
        assertThat(call(client, "GET", "/api/store/proxies/api", null).body()).contains("\"remotePort\":" + first);

        assertThat(call(client, "PUT", "/api/store/proxies/api", proxy("api", echo.port(), second)).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Tunnels.echoes(second) && !Tunnels.listening(first));
        client.close();

        // The store outlives the process: a client started again has the proxy as it was left.
        JfrpClient again = closer.keep(JfrpClient.start(config));
        await().atMost(Duration.ofSeconds(10)).until(() -> Tunnels.echoes(second));
        assertThat(call(again, "GET", "/api/store/proxies", null).body()).contains("\"api\"");
        assertThat(call(again, "DELETE", "/api/store/proxies/api", null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Tunnels.listening(second));
        assertThat(call(again, "DELETE", "/api/store/proxies/api", null).statusCode()).isEqualTo(404);
        assertThat(Tunnels.echoes(Tunnels.awaitRunning(again, "file"))).isTrue();
    }

    @Test
    void withoutAStoreItsPathsAnswer404() throws Exception {
        JfrpServer server = closer.keep(Tunnels.server(dir));
        JfrpClient client = closer.keep(JfrpClient.start(Tunnels.clientConfig(server)
                .withAdmin(new AdminSettings("127.0.0.1", 0, "", ""))));
        assertThat(call(client, "GET", "/api/store/proxies", null).statusCode()).isEqualTo(404);
        assertThat(call(client, "POST", "/api/store/proxies", proxy("x", 1, 0)).statusCode()).isEqualTo(404);
    }
}
