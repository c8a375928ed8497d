package io.jfrp.e2e;

import io.jfrp.client.ClientState;
import io.jfrp.client.ClientStatus;
import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ChannelConfig;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.VhostSettings;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.FaultRelay;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** An ordered list of channels: the session moves to the next when one fails, and back when it is healthy again. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class ChannelFailoverTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void aFailedChannelHandsTheSessionToTheNextAndItComesBackWhenHealthy() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir).withQuicBindPort(VhostSettings.ANY_PORT)));
        FaultRelay fibre = closer.keep(new FaultRelay(server.port()));
        ClientConfig c = ClientConfig.defaults("127.0.0.1", fibre.port(), Tunnels.TOKEN,
                        List.of(Tunnels.tcp("echo", echo.port(), 0)))
                .withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .withChannels(List.of(new ChannelConfig("fibre", "127.0.0.1", fibre.port(), "tcp"),
                        new ChannelConfig("lte", "127.0.0.1", server.quicPort(), "quic")), Duration.ofSeconds(2));
        JfrpClient client = closer.keep(JfrpClient.start(c));
        int remote = Tunnels.awaitRunning(client, "echo");
        assertThat(client.status().server()).isEqualTo("127.0.0.1:" + fibre.port());

        // The first channel breaks and stays broken: the session goes on over the second, same port.
        fibre.mode(FaultRelay.Mode.REFUSE);
        fibre.resetAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.status().state() == ClientState.CONNECTED
                && client.status().server().equals("127.0.0.1:" + server.quicPort()));
        await().atMost(Duration.ofSeconds(5)).until(() -> Tunnels.echoes(remote));
        assertThat(server.sessionCount()).isEqualTo(1);
        ClientStatus onLte = client.status();
        assertThat(onLte.channel()).isEqualTo("lte");
        assertThat(onLte.channels()).extracting(ClientStatus.Channel::name, ClientStatus.Channel::protocol,
                ClientStatus.Channel::state).containsExactly(tuple("fibre", "tcp", "failed"), tuple("lte", "quic", "active"));
        assertThat(onLte.channels().get(0).lastError()).isNotEmpty();

        // It mends: after answering probes for the fail-back time, the session is back on it.
        fibre.mode(FaultRelay.Mode.PASS);
        await().atMost(Duration.ofSeconds(15)).until(() -> client.status().state() == ClientState.CONNECTED
                && client.status().server().equals("127.0.0.1:" + fibre.port()));
        await().atMost(Duration.ofSeconds(5)).until(() -> Tunnels.echoes(remote));
        assertThat(server.sessionCount()).isEqualTo(1);
        ClientStatus back = client.status();
        assertThat(back.channel()).isEqualTo("fibre");
        assertThat(back.channels()).extracting(ClientStatus.Channel::state).containsExactly("active", "standby");
        // Heartbeats measured the active channel, and the last probes the one before it.
        await().atMost(Duration.ofSeconds(5)).until(() -> client.status().channels().get(0).rttMicros() >= 0);
    }

    @Test
    void movingBackKeepsTheConnectionsTheBackupCarriesUntilTheyEnd() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = closer.keep(Tunnels.server(dir));
        FaultRelay fibre = closer.keep(new FaultRelay(server.port()));
        FaultRelay lte = closer.keep(new FaultRelay(server.port()));
        fibre.mode(FaultRelay.Mode.REFUSE);
        ClientConfig c = ClientConfig.defaults("127.0.0.1", fibre.port(), Tunnels.TOKEN,
                        List.of(Tunnels.tcp("echo", echo.port(), 0)))
                .withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .withChannels(List.of(new ChannelConfig("fibre", "127.0.0.1", fibre.port(), "tcp"),
                        new ChannelConfig("lte", "127.0.0.1", lte.port(), "tcp")), Duration.ofSeconds(2));
        JfrpClient client = closer.keep(JfrpClient.start(c));
        int remote = Tunnels.awaitRunning(client, "echo");
        assertThat(client.status().channel()).isEqualTo("lte");

        // A user's connection begins while the session is on the backup, and lasts.
        java.net.Socket user = closer.keep(new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), remote));
        user.setSoTimeout(10_000);
        assertThat(echoed(user, 1)).isTrue();

        // The primary mends: the session moves back to it without breaking the user's connection.
        fibre.mode(FaultRelay.Mode.PASS);
        await().atMost(Duration.ofSeconds(15)).until(() -> "fibre".equals(client.status().channel()));
        assertThat(client.status().state()).isEqualTo(ClientState.CONNECTED);
        assertThat(client.status().channels()).extracting(ClientStatus.Channel::state)
                .containsExactly("active", "draining");
        assertThat(lte.openLinks()).as("the backup, kept for the connection it carries").isEqualTo(1);
        assertThat(server.sessionCount()).isEqualTo(1);
        assertThat(echoed(user, 2)).as("the connection begun on the backup, after the move").isTrue();

        // New connections go over the primary: they pass while the backup forwards nothing.
        lte.mode(FaultRelay.Mode.SILENT);
        try {
            assertThat(Tunnels.echoes(remote)).as("a new connection, with the backup silent").isTrue();
        } finally {
            lte.mode(FaultRelay.Mode.PASS);
        }
        assertThat(echoed(user, 3)).isTrue();

        // Its last connection over, the backup is closed, and stays a standby.
        user.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> lte.openLinks() == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.status().channels().get(1).state().equals("standby"));
        assertThat(client.status().channel()).isEqualTo("fibre");
        assertThat(client.status().reconnects()).as("a move made before the break is no reconnect").isZero();
        assertThat(Tunnels.echoes(remote)).isTrue();
    }

    /** 64 KiB through {@code user}'s connection and back, intact. */
    private static boolean echoed(java.net.Socket user, long seed) throws java.io.IOException {
        byte[] data = io.jfrp.testing.RandomBytes.of(64 * 1024, seed);
        user.getOutputStream().write(data);
        user.getOutputStream().flush();
        byte[] back = user.getInputStream().readNBytes(data.length);
        return io.jfrp.testing.RandomBytes.sha256(back).equals(io.jfrp.testing.RandomBytes.sha256(data));
    }

    @Test
    void aChannelThatNeverConnectsIsSkippedWithinASecond() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = closer.keep(Tunnels.server(dir));
        int nothing = closer.keep(io.jfrp.testing.Loopback.reservedPort()).getLocalPort();
        ClientConfig c = ClientConfig.defaults("127.0.0.1", nothing, Tunnels.TOKEN, List.of(Tunnels.tcp("echo", echo.port(), 0)))
                .withChannels(List.of(new ChannelConfig("dead", "127.0.0.1", nothing, "tcp"),
                        new ChannelConfig("alive", "127.0.0.1", server.port(), "websocket")), Duration.ofSeconds(30));
        long start = System.nanoTime();
        JfrpClient client = closer.keep(JfrpClient.start(c));
        int remote = Tunnels.awaitRunning(client, "echo");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(client.status().server()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(Tunnels.echoes(remote)).isTrue();
    }

    @Test
    void aTcpPortThatAnswersWithGarbageHandsTheSessionToTheNextTransport() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = closer.keep(Tunnels.server(dir));
        // Something that is not a jfrps, as a middlebox that rewrites the connection would look.
        List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.net.ServerSocket garbage = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        closer.keep(() -> {
            garbage.close();
            for (java.net.Socket s : accepted) {
                s.close();
            }
        });
        Thread t = new Thread(() -> {
            while (!garbage.isClosed()) {
                try {
                    java.net.Socket s = garbage.accept();
                    accepted.add(s);
                    s.getOutputStream().write(io.jfrp.testing.RandomBytes.of(4096, 7));
                    s.getOutputStream().flush();
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        ClientConfig c = ClientConfig.defaults("127.0.0.1", garbage.getLocalPort(), Tunnels.TOKEN,
                        List.of(Tunnels.tcp("echo", echo.port(), 0)))
                .withChannels(List.of(new ChannelConfig("mangled", "127.0.0.1", garbage.getLocalPort(), "tcp"),
                        new ChannelConfig("web", "127.0.0.1", server.port(), "websocket")), Duration.ofSeconds(30));
        JfrpClient client = closer.keep(JfrpClient.start(c));
        int remote = Tunnels.awaitRunning(client, "echo");
        assertThat(client.status().channel()).isEqualTo("web");
        assertThat(client.status().channels().get(0).state()).isEqualTo("failed");
        assertThat(Tunnels.echoes(remote)).isTrue();
    }

    @Test
    void blockedUdpHandsTheSessionToTcpWhenTheDialTimesOut() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = closer.keep(Tunnels.server(dir));
        // A UDP port that takes datagrams and never answers: a firewall that drops UDP.
        java.net.DatagramSocket blackHole = closer.keep(new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()));
        ClientConfig c = ClientConfig.defaults("127.0.0.1", blackHole.getLocalPort(), Tunnels.TOKEN,
                        List.of(Tunnels.tcp("echo", echo.port(), 0)))
                .withDialTimeout(Duration.ofSeconds(2))
                .withChannels(List.of(new ChannelConfig("udp", "127.0.0.1", blackHole.getLocalPort(), "quic"),
                        new ChannelConfig("tcp", "127.0.0.1", server.port(), "tcp")), Duration.ofSeconds(30));
        long start = System.nanoTime();
        JfrpClient client = closer.keep(JfrpClient.start(c));
        int remote = Tunnels.awaitRunning(client, "echo");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        assertThat(client.status().channel()).isEqualTo("tcp");
        assertThat(client.status().channels().get(0).lastError()).contains("QUIC");
        assertThat(Tunnels.echoes(remote)).isTrue();
    }
}
