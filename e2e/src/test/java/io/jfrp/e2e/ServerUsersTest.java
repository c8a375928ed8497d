package io.jfrp.e2e;

import io.jfrp.client.ClientStatus;
import io.jfrp.client.JfrpClient;
import io.jfrp.client.ProxyState;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.PortRanges;
import io.jfrp.core.config.ServerUser;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** [[users]]: a token per user, and limits that hold for the user over all its clients. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class ServerUsersTest {

    private static final String ALICE = "alice-token-0123456789";
    private static final String BOB = "bob-token-0123456789ab";

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    /** A client of {@code user} with one proxy, named "echo" unless given. */
    private JfrpClient client(JfrpServer server, String user, String token, int remotePort, EchoServer echo)
            throws Exception {
        return client(server, user, token, "echo", remotePort, echo);
    }

    private JfrpClient client(JfrpServer server, String user, String token, String proxy, int remotePort, EchoServer echo)
            throws Exception {
        return closer.keep(JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp(proxy, echo.port(), remotePort))
                .withUser(user, token)));
    }

    @Test
    void eachUserLogsInWithItsOwnTokenAndKeepsToItsOwnLimitsOverAllItsClients() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        int alicePort = Tunnels.freePort();
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir).withUsers(List.of(
                new ServerUser("alice", ALICE, new PortRanges(List.of(new int[]{alicePort, alicePort})), 1, 2),
                new ServerUser("bob", BOB, null, 0, 0)))));

        // Another user's token proves nothing: the login is refused, and says no more than that.
        JfrpClient thief = client(server, "bob", ALICE, 0, echo);
        await().atMost(Duration.ofSeconds(10)).until(() -> thief.status().lastError() != null
                && thief.status().lastError().contains("is not a user of this server"));
        thief.close();

        // Alice's one allowed port is what she gets when she asks for any.
        JfrpClient alice = client(server, "alice", ALICE, 0, echo);
        assertThat(Tunnels.awaitRunning(alice, "echo")).isEqualTo(alicePort);
        assertThat(Tunnels.echoes(alicePort)).isTrue();

        // Bob's proxy of the same name is his own (user.name on the server), on a port of his own.
        JfrpClient bob = client(server, "bob", BOB, 0, echo);
        int bobPort = Tunnels.awaitRunning(bob, "echo");
        assertThat(bobPort).isNotEqualTo(alicePort);
        assertThat(Tunnels.echoes(bobPort)).isTrue();

        // A second client of Alice's, with a runId of its own, is still Alice: one port in all, outside
        // her range refused as such.
        int outside = Tunnels.freePort();
        JfrpClient second = client(server, "alice", ALICE, "echo2", outside, echo);
        ClientStatus.Proxy refused = Tunnels.awaitSettled(second, "echo2");
        assertThat(refused.state()).isEqualTo(ProxyState.REFUSED);
        assertThat(refused.lastError()).contains("not allowed").contains("of user alice");
        JfrpClient third = client(server, "alice", ALICE, "echo3", 0, echo);
        await().atMost(Duration.ofSeconds(10)).until(() -> third.status().lastError() != null
                && third.status().lastError().contains("sessions already"));
        second.close();
        third.close();
        JfrpClient fourth = client(server, "alice", ALICE, "echo4", 0, echo);
        ClientStatus.Proxy overLimit = Tunnels.awaitSettled(fourth, "echo4");
        assertThat(overLimit.state()).isEqualTo(ProxyState.REFUSED);
        assertThat(overLimit.lastError()).contains("already has 1 ports open");

        // Alice lets her port go: her next client may have it.
        alice.close();
        fourth.close();
        JfrpClient fifth = client(server, "alice", ALICE, 0, echo);
        assertThat(Tunnels.awaitRunning(fifth, "echo")).isEqualTo(alicePort);
        assertThat(Tunnels.echoes(alicePort)).isTrue();
    }

    @Test
    void frpsSingleTokenStillLetsInClientsThatAreNoUser() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir).withUsers(List.of(
                new ServerUser("alice", ALICE, null, 0, 0)))));
        JfrpClient carol = client(server, "carol", Tunnels.TOKEN, 0, echo);
        assertThat(Tunnels.echoes(Tunnels.awaitRunning(carol, "echo"))).isTrue();
        // A user's name with the shared token is not that user.
        JfrpClient fake = client(server, "alice", Tunnels.TOKEN, 0, echo);
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.status().lastError() != null
                && fake.status().lastError().contains("is not a user of this server"));
    }

    @Test
    void withUsersAndNoSharedTokenNobodyElseGetsIn() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir).withAuthToken("").withUsers(List.of(
                new ServerUser("alice", ALICE, null, 0, 0)))));
        JfrpClient anon = client(server, "", "", 0, echo);
        await().atMost(Duration.ofSeconds(10)).until(() -> anon.status().lastError() != null
                && anon.status().lastError().contains("is not a user of this server"));
        assertThat(server.sessionCount()).isZero();
    }

    @Test
    void aUsersConnectionsAreCountedOverAllItsClientsAndTheOneBeyondMaxStreamsIsRefused() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir).withUsers(List.of(
                new ServerUser("alice", ALICE, null, 0, 0, 2)))));
        int first = Tunnels.awaitRunning(client(server, "alice", ALICE, "one", 0, echo), "one");
        int second = Tunnels.awaitRunning(client(server, "alice", ALICE, "two", 0, echo), "two");
        int anon = Tunnels.awaitRunning(client(server, "carol", Tunnels.TOKEN, 0, echo), "echo");

        java.net.Socket a = closer.keep(new java.net.Socket(InetAddress.getLoopbackAddress(), first));
        java.net.Socket b = closer.keep(new java.net.Socket(InetAddress.getLoopbackAddress(), second));
        assertThat(echoesOn(a)).isTrue();
        assertThat(echoesOn(b)).isTrue();
        // Alice has two connections open, one through each of her clients: the third is refused.
        assertThat(Tunnels.echoes(first)).as("a third connection of alice's").isFalse();
        assertThat(Tunnels.echoes(anon)).as("another client's, not a user").isTrue();

        a.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> Tunnels.echoes(second));
        assertThat(echoesOn(b)).isTrue();
    }

    /** A line through {@code s}'s connection comes back. */
    private static boolean echoesOn(java.net.Socket s) throws java.io.IOException {
        s.setSoTimeout(10_000);
        byte[] line = "still here\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        s.getOutputStream().write(line);
        return java.util.Arrays.equals(s.getInputStream().readNBytes(line.length), line);
    }
}
