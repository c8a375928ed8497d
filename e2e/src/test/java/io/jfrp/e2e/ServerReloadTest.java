package io.jfrp.e2e;

import io.jfrp.client.ClientState;
import io.jfrp.client.ClientStatus;
import io.jfrp.client.JfrpClient;
import io.jfrp.client.ProxyState;
import io.jfrp.core.config.PortRanges;
import io.jfrp.core.config.ServerConfig;
import io.jfrp.core.config.ServerUser;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A server reload: sessions and proxies go on unless the new config forbids them; what it forbids ends
 * with the reason, and the client hears it.
 */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class ServerReloadTest {

    private static final String BOB = "bob-token-0123456789ab";

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    private static PortRanges only(int... ports) {
        return new PortRanges(java.util.Arrays.stream(ports).mapToObj(p -> new int[]{p, p}).toList());
    }

    private JfrpClient client(JfrpServer server, String user, String token, String proxy, int port, EchoServer echo)
            throws Exception {
        return closer.keep(JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp(proxy, echo.port(), port))
                .withUser(user, token)));
    }

    private static byte[] roundTrip(Socket s, byte[] data) throws Exception {
        s.getOutputStream().write(data);
        s.getOutputStream().flush();
        return s.getInputStream().readNBytes(data.length);
    }

    @Test
    void narrowingAllowPortsAndRemovingAUserCloseExactlyWhatTheyForbidWithTheReason() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        int a = Tunnels.freePort();
        int b = Tunnels.freePort();
        int c = Tunnels.freePort();
        ServerConfig first = Tunnels.serverConfig(dir).withPorts(only(a, b, c), 0)
                .withUsers(List.of(new ServerUser("bob", BOB, null, 0, 0)));
        JfrpServer server = closer.keep(JfrpServer.start(first));
        JfrpClient onA = client(server, "", Tunnels.TOKEN, "a", a, echo);
        JfrpClient onB = client(server, "", Tunnels.TOKEN, "b", b, echo);
        List<String> bobLost = new java.util.concurrent.CopyOnWriteArrayList<>();
        JfrpClient bob = closer.keep(JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("c", echo.port(), c))
                .withUser("bob", BOB), e -> {
                    if (e instanceof io.jfrp.core.lifecycle.LifecycleEvent.SessionLost l) {
                        bobLost.add(l.reason());
                    }
                }));
        assertThat(Tunnels.awaitRunning(onA, "a")).isEqualTo(a);
        assertThat(Tunnels.awaitRunning(onB, "b")).isEqualTo(b);
        assertThat(Tunnels.awaitRunning(bob, "c")).isEqualTo(c);

        // A user of the proxy the reload keeps, connected across it.
        Socket user = closer.keep(new Socket(InetAddress.getLoopbackAddress(), b));
        user.setSoTimeout(10_000);
        byte[] before = RandomBytes.of(64 * 1024, 1);
        assertThat(RandomBytes.sha256(roundTrip(user, before))).isEqualTo(RandomBytes.sha256(before));

        String said = server.reload(first.withPorts(only(b, c), 0).withUsers(List.of()));
        assertThat(said).contains("allowPorts (" + b + ", " + c + ")").contains("users")
                .contains("closed 1 session(s) and 1 proxy(ies)");

        // Port a is no longer allowed: that proxy alone ends, and its client hears why; its session stays.
        ClientStatus.Proxy refused = awaitState(onA, "a", ProxyState.REFUSED);
        assertThat(refused.lastError()).contains("port " + a + " is no longer allowed");
        await().atMost(Duration.ofSeconds(5)).until(() -> !Tunnels.listening(a));
        assertThat(onA.status().state()).isEqualTo(ClientState.CONNECTED);
        assertThat(onA.status().reconnects()).isZero();

        // Bob is no user now: his session ends with the reason, and he cannot log in again.
        await().atMost(Duration.ofSeconds(10)).until(() -> bobLost.stream()
                .anyMatch(r -> r.contains("user bob is no longer a user of this server")));
        await().atMost(Duration.ofSeconds(5)).until(() -> !Tunnels.listening(c));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.sessionCount() == 2);

        // The kept proxy's user never noticed.
        byte[] after = RandomBytes.of(64 * 1024, 2);
        assertThat(RandomBytes.sha256(roundTrip(user, after))).isEqualTo(RandomBytes.sha256(after));
        assertThat(onB.status().reconnects()).isZero();
        assertThat(onB.status().proxy("b").state()).isEqualTo(ProxyState.RUNNING);

        // Allowed again: the refused proxy's next try takes its port back, with no restart of anything.
        server.reload(first.withUsers(List.of()));
        assertThat(awaitState(onA, "a", ProxyState.RUNNING).remotePort()).isEqualTo(a);
        assertThat(Tunnels.echoes(a)).isTrue();
    }

    @Test
    void aNewTokenEndsTheSessionsOfTheOldOneAndLowerLimitsCloseTheNewestPorts() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        ServerConfig first = Tunnels.serverConfig(dir);
        JfrpServer server = closer.keep(JfrpServer.start(first));
        JfrpClient two = closer.keep(JfrpClient.start(Tunnels.clientConfig(server,
                Tunnels.tcp("older", echo.port(), 0), Tunnels.tcp("newer", echo.port(), 0))));
        Tunnels.awaitRunning(two, "older");
        int newer = Tunnels.awaitRunning(two, "newer");

        assertThat(server.reload(first.withPorts(PortRanges.ALL, 1))).contains("maxPortsPerClient (1)");
        ClientStatus.Proxy over = awaitState(two, "newer", ProxyState.REFUSED);
        // The withdrawal says why; the client's next try hears the limit again, in the words of a refusal.
        assertThat(over.lastError()).contains("1 ports (maxPortsPerClient)");
        assertThat(two.status().proxy("older").state()).isEqualTo(ProxyState.RUNNING);
        await().atMost(Duration.ofSeconds(5)).until(() -> !Tunnels.listening(newer));

        String said = server.reload(first.withPorts(PortRanges.ALL, 1).withAuthToken("a-new-token-0123456789"));
        assertThat(said).contains("auth.token").doesNotContain("a-new-token");
        await().atMost(Duration.ofSeconds(10)).until(() -> two.status().lastError() != null
                && two.status().lastError().contains("auth.token changed"));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.sessionCount() == 0);
    }

    @Test
    void settingsThatNeedTheirSocketsMadeAgainAreNamedAndKept() throws Exception {
        ServerConfig first = Tunnels.serverConfig(dir);
        JfrpServer server = closer.keep(JfrpServer.start(first));
        String said = server.reload(first.withBind("127.0.0.2", 1).withSessionGracePeriod(Duration.ofSeconds(5)));
        assertThat(said).contains("applied sessionGracePeriod").contains("not applied until jfrps restarts: bindAddr/bindPort");
        assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(server.reload(first.withSessionGracePeriod(Duration.ofSeconds(5)))).isEqualTo("nothing changed");
    }

    @Test
    void aFileWithABadValueChangesNothingAndNamesItsLine() throws Exception {
        Path file = dir.resolve("frps.toml");
        Tunnels.serverConfig(dir); // the shared certificate, in dir
        Files.writeString(file, "bindAddr = \"127.0.0.1\"\nbindPort = 17999\nauth.token = \"" + Tunnels.TOKEN + "\"\n"
                + "transport.tls.certFile = \"" + dir.resolve(io.jfrp.core.tls.SelfSignedCertificate.CERT_FILE) + "\"\n"
                + "transport.tls.keyFile = \"" + dir.resolve(io.jfrp.core.tls.SelfSignedCertificate.KEY_FILE) + "\"\n");
        // Port 0 is no port for a file: the server listens where the system says, its source still the file.
        JfrpServer server = closer.keep(JfrpServer.start(io.jfrp.core.config.ConfigLoader.server(file).config()
                .withBind("127.0.0.1", 0)));
        Files.writeString(file, Files.readString(file) + "allowPorts = [ { start = 3000, end = \"x\" } ]\n");
        assertThatThrownBy(server::reloadFile).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frps.toml:6:").hasMessageContaining("allowPorts[0].end");
        EchoServer echo = closer.keep(new EchoServer());
        JfrpClient client = closer.keep(Tunnels.client(server, Tunnels.tcp("echo", echo.port(), 0)));
        assertThat(Tunnels.echoes(Tunnels.awaitRunning(client, "echo"))).isTrue();
    }

    private static ClientStatus.Proxy awaitState(JfrpClient client, String name, ProxyState state) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ClientStatus.Proxy p = client.status().proxy(name);
            return p != null && p.state() == state;
        });
        return client.status().proxy(name);
    }
}
