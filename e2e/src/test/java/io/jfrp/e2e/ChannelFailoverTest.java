package io.jfrp.e2e;

import io.jfrp.client.ClientState;
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

        // It mends: after answering probes for the fail-back time, the session is back on it.
        fibre.mode(FaultRelay.Mode.PASS);
        await().atMost(Duration.ofSeconds(15)).until(() -> client.status().state() == ClientState.CONNECTED
                && client.status().server().equals("127.0.0.1:" + fibre.port()));
        await().atMost(Duration.ofSeconds(5)).until(() -> Tunnels.echoes(remote));
        assertThat(server.sessionCount()).isEqualTo(1);
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
}
