package io.jfrp.e2e;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.jfrp.client.JfrpClient;
import io.jfrp.client.ProxyState;
import io.jfrp.core.config.ConfigLoader;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.EtcdServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.RandomBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * configSource.etcd against a real etcd on loopback: a change applies within a second through the
 * reload's diff (a live connection of an unchanged proxy goes on), a broken document changes nothing,
 * and with etcd down the client starts and runs on the copy it kept, and follows etcd again when it
 * is back. (No thread-leak check: jetcd's gRPC threads outlive its client by design.)
 */
@ExtendWith(LeakCheck.class)
class EtcdConfigSourceTest {

    private static final String PREFIX = "/jfrp/test/";

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    private Path clientFile(JfrpServer server, EtcdServer etcd) throws Exception {
        Path file = dir.resolve("frpc.toml");
        Files.writeString(file, "serverAddr = \"127.0.0.1\"\nserverPort = " + server.port() + "\nauth.token = \""
                + Tunnels.TOKEN + "\"\nstateDir = \"" + dir.resolve("state") + "\"\n"
                + "configSource.etcd.endpoints = [\"" + etcd.endpoint() + "\"]\nconfigSource.etcd.prefix = \"" + PREFIX + "\"\n");
        return file;
    }

    private static String proxy(String name, int localPort) {
        return "[[proxies]]\nname = \"" + name + "\"\ntype = \"tcp\"\nlocalIP = \"127.0.0.1\"\nlocalPort = " + localPort
                + "\nremotePort = 0\n";
    }

    private static void put(Client kv, String key, String value) throws Exception {
        kv.getKVClient().put(ByteSequence.from(PREFIX + key, StandardCharsets.UTF_8),
                ByteSequence.from(value, StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    }

    private static void delete(Client kv, String key) throws Exception {
        kv.getKVClient().delete(ByteSequence.from(PREFIX + key, StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    }

    private static boolean running(JfrpClient c, String name) {
        return c.status().proxy(name) != null && c.status().proxy(name).state() == ProxyState.RUNNING;
    }

    private static byte[] roundTrip(Socket s, byte[] data) throws Exception {
        s.getOutputStream().write(data);
        s.getOutputStream().flush();
        return s.getInputStream().readNBytes(data.length);
    }

    @Test
    void aChangeAppliesWithinASecondAndABrokenDocumentChangesNothing() throws Exception {
        EtcdServer etcd = EtcdServer.start(dir);
        closer.keep(etcd::close);
        Client kv = Client.builder().endpoints(etcd.endpoint()).build();
        closer.keep(kv::close);
        JfrpServer server = closer.keep(Tunnels.server(dir.resolve("server")));
        EchoServer echo = closer.keep(new EchoServer());
        put(kv, "web.toml", proxy("web", echo.port()));

        JfrpClient client = closer.keep(JfrpClient.start(ConfigLoader.client(clientFile(server, etcd)).config()));
        int web = Tunnels.awaitRunning(client, "web");
        Socket user = closer.keep(new Socket(InetAddress.getLoopbackAddress(), web));
        user.setSoTimeout(10_000);
        byte[] before = RandomBytes.of(32 * 1024, 1);
        assertThat(RandomBytes.sha256(roundTrip(user, before))).isEqualTo(RandomBytes.sha256(before));

        put(kv, "db.yaml", "proxies:\n  - name: db\n    type: tcp\n    localIP: 127.0.0.1\n    localPort: " + echo.port() + "\n");
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> running(client, "db"));
        assertThat(Tunnels.echoes(client.status().proxy("db").remotePort())).isTrue();

        // A broken key changes nothing; fixed, it applies.
        put(kv, "bad.toml", "[[proxies]]\nname = \"bad\"\nlocalPort = \"eighty\"\n");
        put(kv, "db.yaml", "proxies: []\n"); // in the same change as the broken key: not applied either
        // Nothing to await for a change that must not happen: the next good change shows the broken one was passed over.
        put(kv, "bad.toml", proxy("bad", echo.port()));
        await().atMost(Duration.ofSeconds(2)).until(() -> running(client, "bad"));
        assertThat(client.status().proxy("db")).isNull();

        delete(kv, "bad.toml");
        await().atMost(Duration.ofSeconds(2)).until(() -> client.status().proxy("bad") == null);
        byte[] after = RandomBytes.of(32 * 1024, 2);
        assertThat(RandomBytes.sha256(roundTrip(user, after))).as("the unchanged proxy's user is still connected")
                .isEqualTo(RandomBytes.sha256(after));
        assertThat(client.status().reconnects()).isZero();
    }

    @Test
    void withEtcdDownTheClientRunsOnItsCopyAndFollowsEtcdWhenItIsBack() throws Exception {
        EtcdServer etcd = EtcdServer.start(dir);
        closer.keep(etcd::close);
        JfrpServer server = closer.keep(Tunnels.server(dir.resolve("server")));
        EchoServer echo = closer.keep(new EchoServer());
        try (Client kv = Client.builder().endpoints(etcd.endpoint()).build()) {
            put(kv, "web.toml", proxy("web", echo.port()));
        }
        Path file = clientFile(server, etcd);
        JfrpClient first = JfrpClient.start(ConfigLoader.client(file).config());
        Tunnels.awaitRunning(first, "web");

        etcd.stop();
        assertThat(Tunnels.echoes(first.status().proxy("web").remotePort())).as("etcd down stops nothing").isTrue();
        first.close();

        // A restart while etcd is down: the copy kept of what was applied.
        JfrpClient again = closer.keep(JfrpClient.start(ConfigLoader.client(file).config()));
        assertThat(Tunnels.echoes(Tunnels.awaitRunning(again, "web"))).isTrue();

        etcd.startAgain();
        try (Client kv = Client.builder().endpoints(etcd.endpoint()).build()) {
            put(kv, "db.toml", proxy("db", echo.port()));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> running(again, "db"));
        assertThat(running(again, "web")).isTrue();
    }

    @Test
    void aServerTakesItsUsersFromEtcdAndATokenRotatedThereEndsTheOldOnesSessions() throws Exception {
        EtcdServer etcd = EtcdServer.start(dir);
        closer.keep(etcd::close);
        Client kv = Client.builder().endpoints(etcd.endpoint()).build();
        closer.keep(kv::close);
        String first = "alice-first-token-0123";
        String second = "alice-second-token-456";
        put(kv, "alice.toml", "[[users]]\nname = \"alice\"\ntoken = \"" + first + "\"\n");
        Path data = dir.resolve("server");
        Tunnels.serverConfig(data); // the shared certificate, in data
        Path file = dir.resolve("frps.toml");
        Files.writeString(file, "bindAddr = \"127.0.0.1\"\nbindPort = 7000\nauth.token = \"" + Tunnels.TOKEN + "\"\n"
                + "dataDir = \"" + data + "\"\n"
                + "configSource.etcd.endpoints = [\"" + etcd.endpoint() + "\"]\nconfigSource.etcd.prefix = \"" + PREFIX + "\"\n");
        // Port 0 is no port for a file: the server listens where the system says, its source still the file.
        JfrpServer server = closer.keep(JfrpServer.start(ConfigLoader.server(file).config().withBind("127.0.0.1", 0)));
        EchoServer echo = closer.keep(new EchoServer());
        JfrpClient alice = closer.keep(JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("web", echo.port(), 0))
                .withUser("alice", first)));
        assertThat(Tunnels.echoes(Tunnels.awaitRunning(alice, "web"))).isTrue();

        put(kv, "alice.toml", "[[users]]\nname = \"alice\"\ntoken = \"" + second + "\"\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> alice.status().lastError() != null
                && alice.status().lastError().contains("not a user of this server"));
        JfrpClient rotated = closer.keep(JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("web", echo.port(), 0))
                .withUser("alice", second)));
        assertThat(Tunnels.echoes(Tunnels.awaitRunning(rotated, "web"))).isTrue();
    }
}
