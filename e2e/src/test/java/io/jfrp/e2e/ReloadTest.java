package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.client.ProxyState;
import io.jfrp.core.config.AdminSettings;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ConfigLoader;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * frp's reload through the admin API: the config file is replaced (PUT /api/config) and applied
 * (GET /api/reload). Removed and changed proxies close, added ones open, and an unchanged proxy keeps
 * the user connections it carries. An invalid file changes nothing and says why.
 */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class ReloadTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    private static String toml(JfrpServer server, int echo, int changedLocalPort, boolean withGone) {
        return "serverAddr = \"127.0.0.1\"\nserverPort = " + server.port() + "\nauth.token = \"" + Tunnels.TOKEN + "\"\n"
                + "[[proxies]]\nname = \"kept\"\nlocalPort = " + echo + "\n"
                + "[[proxies]]\nname = \"moved\"\nlocalPort = " + changedLocalPort + "\n"
                + (withGone ? "[[proxies]]\nname = \"gone\"\nlocalPort = " + echo + "\n" : "");
    }

    private static byte[] roundTrip(Socket s, byte[] data) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(data);
        out.flush();
        InputStream in = s.getInputStream();
        return in.readNBytes(data.length);
    }

    @Test
    void aReloadAppliesTheProxiesOfTheFileAndLeavesUnchangedOnesAlone() throws Exception {
        JfrpServer server = closer.keep(Tunnels.server(dir));
        EchoServer echo = closer.keep(new EchoServer());
        EchoServer echo2 = closer.keep(new EchoServer());
        Path file = dir.resolve("frpc.toml");
        Files.writeString(file, toml(server, echo.port(), echo.port(), true));
        ClientConfig cfg = ConfigLoader.client(file).config().withStateFile(null)
                .withAdmin(new AdminSettings("127.0.0.1", 0, "admin", "pw"));
        JfrpClient client = closer.keep(JfrpClient.start(cfg));
        int kept = Tunnels.awaitRunning(client, "kept");
        int moved = Tunnels.awaitRunning(client, "moved");
        int gone = Tunnels.awaitRunning(client, "gone");

        // A user of the unchanged proxy, connected across the reload.
        Socket user = closer.keep(new Socket(InetAddress.getLoopbackAddress(), kept));
        user.setSoTimeout(10_000);
        byte[] before = RandomBytes.of(4096, 1);
        assertThat(roundTrip(user, before)).isEqualTo(before);

        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString("admin:pw".getBytes());
        URI config = URI.create("http://127.0.0.1:" + client.adminPort() + "/api/config");
        URI reload = URI.create("http://127.0.0.1:" + client.adminPort() + "/api/reload");
        HttpResponse<String> got = http.send(HttpRequest.newBuilder(config).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(got.body()).isEqualTo(Files.readString(file));

        // An invalid file: nothing changes, and the answer names the problem.
        put(http, config, auth, "serverPort = \"not a port\"\n");
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(reload).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("serverPort");
        assertThat(client.status().proxy("gone").state()).isEqualTo(ProxyState.RUNNING);

        put(http, config, auth, toml(server, echo.port(), echo2.port(), false));
        HttpResponse<String> applied = http.send(HttpRequest.newBuilder(reload).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(applied.statusCode()).isEqualTo(200);
        assertThat(applied.body()).contains("0 added, 1 changed, 1 removed, 1 unchanged");

        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().proxy("moved") != null
                && client.status().proxy("moved").state() == ProxyState.RUNNING);
        assertThat(client.status().proxy("gone")).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> !Tunnels.listening(gone));
        int movedNow = client.status().proxy("moved").remotePort();
        assertThat(Tunnels.echoes(movedNow)).isTrue();
        assertThat(movedNow == moved || !Tunnels.listening(moved)).as("the changed proxy's old port is closed").isTrue();
        byte[] after = RandomBytes.of(4096, 2);
        assertThat(roundTrip(user, after)).as("the unchanged proxy's user is still connected").isEqualTo(after);
        assertThat(client.status().reconnects()).isZero();
    }

    private static void put(HttpClient http, URI uri, String auth, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", auth)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void withAutoReloadASavedFileIsAppliedAndABrokenOneChangesNothing() throws Exception {
        JfrpServer server = closer.keep(Tunnels.server(dir));
        EchoServer echo = closer.keep(new EchoServer());
        Path file = dir.resolve("frpc.toml");
        String base = "autoReload = true\n" + toml(server, echo.port(), echo.port(), false);
        Files.writeString(file, base);
        JfrpClient client = closer.keep(JfrpClient.start(ConfigLoader.client(file).config().withStateFile(null)));
        int kept = Tunnels.awaitRunning(client, "kept");
        Socket user = closer.keep(new Socket(InetAddress.getLoopbackAddress(), kept));
        user.setSoTimeout(10_000);
        byte[] before = RandomBytes.of(4096, 3);
        assertThat(roundTrip(user, before)).isEqualTo(before);

        // Saved with a proxy more, written elsewhere and renamed over, as editors do.
        Path tmp = dir.resolve("frpc.toml.tmp");
        Files.writeString(tmp, base + "[[proxies]]\nname = \"added\"\nlocalPort = " + echo.port() + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        int added = Tunnels.awaitRunning(client, "added");
        assertThat(Tunnels.echoes(added)).isTrue();

        // A broken file changes nothing (what the watch runs on every save), and the next good save applies.
        Files.writeString(file, base + "[[proxies]]\nname = \"broken\"\nlocalPort = \"eighty\"\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(client::reloadFile)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("localPort");
        assertThat(client.status().proxy("broken")).isNull();
        assertThat(client.status().proxy("added").state()).isEqualTo(ProxyState.RUNNING);
        Files.writeString(file, base + "[[proxies]]\nname = \"later\"\nlocalPort = " + echo.port() + "\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().proxy("later") != null
                && client.status().proxy("added") == null);
        assertThat(Tunnels.echoes(Tunnels.awaitRunning(client, "later"))).isTrue();
        byte[] after = RandomBytes.of(4096, 4);
        assertThat(roundTrip(user, after)).as("the unchanged proxy's user, across every save").isEqualTo(after);
    }


    @Test
    void aReloadTheServerRefusesRollsBackByItself() throws Exception {
        JfrpServer server = closer.keep(Tunnels.server(dir));
        EchoServer echo = closer.keep(new EchoServer());
        Path file = dir.resolve("frpc.toml");
        String base = toml(server, echo.port(), echo.port(), false);
        Files.writeString(file, base);
        JfrpClient client = closer.keep(JfrpClient.start(ConfigLoader.client(file).config().withStateFile(null)));
        int kept = Tunnels.awaitRunning(client, "kept");
        // A port something else holds on the server's host: the server refuses a proxy on it.
        java.net.ServerSocket squatter = closer.keep(new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        Files.writeString(file, base.replace("name = \"moved\"", "name = \"moved\"\nremotePort = "
                + squatter.getLocalPort()) + "[[proxies]]\nname = \"added\"\nlocalPort = " + echo.port() + "\n");

        String outcome = client.reloadFile();

        assertThat(outcome).contains("rolled back", "proxy moved");
        assertThat(client.status().proxy("added")).as("the added proxy went with the rest").isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().proxy("moved").state() == ProxyState.RUNNING);
        assertThat(client.status().proxy("moved").remotePort()).isNotEqualTo(squatter.getLocalPort());
        assertThat(Tunnels.echoes(kept)).isTrue();
    }

    @Test
    void newHeartbeatsMoveTheSessionToANewConnectionWithoutCuttingAStream() throws Exception {
        java.util.List<io.jfrp.core.lifecycle.LifecycleEvent.SessionResumed> joins = new java.util.concurrent.CopyOnWriteArrayList<>();
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir), e -> {
            if (e instanceof io.jfrp.core.lifecycle.LifecycleEvent.SessionResumed r && r.joined()) {
                joins.add(r);
            }
        }));
        EchoServer echo = closer.keep(new EchoServer());
        Path file = dir.resolve("frpc.toml");
        String base = toml(server, echo.port(), echo.port(), false);
        Files.writeString(file, base);
        JfrpClient client = closer.keep(JfrpClient.start(ConfigLoader.client(file).config().withStateFile(null)));
        int kept = Tunnels.awaitRunning(client, "kept");
        Socket user = closer.keep(new Socket(InetAddress.getLoopbackAddress(), kept));
        user.setSoTimeout(10_000);
        byte[] before = RandomBytes.of(64 * 1024, 5);
        assertThat(RandomBytes.sha256(roundTrip(user, before))).isEqualTo(RandomBytes.sha256(before));

        Files.writeString(file, "transport.heartbeatInterval = 2\ntransport.heartbeatTimeout = 7\n"
                + "transport.reconnect.maxInterval = \"5s\"\n" + base);
        String outcome = client.reloadFile();

        assertThat(outcome).contains("transport.reconnect").contains("heartbeats (the session moves")
                .doesNotContain("not applied until jfrpc restarts");
        await().atMost(Duration.ofSeconds(10)).until(() -> joins.size() == 1);
        // The user of before the move is carried by the connection it began on; a new one by the new connection.
        byte[] after = RandomBytes.of(64 * 1024, 6);
        assertThat(RandomBytes.sha256(roundTrip(user, after))).as("a stream begun before the move").isEqualTo(RandomBytes.sha256(after));
        assertThat(Tunnels.echoes(kept)).isTrue();
        assertThat(client.status().reconnects()).isZero();
        assertThat(server.sessionCount()).isEqualTo(1);
        // Nothing else changed: a second reload of the same file moves nothing.
        assertThat(client.reloadFile()).doesNotContain("heartbeats");
        assertThat(joins).hasSize(1);
    }
}
