package io.jfrp.e2e;

import io.jfrp.client.ClientState;
import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ServerConfig;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.FaultRelay;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import io.jfrp.testing.Loopback;
import io.jfrp.testing.RandomBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Links that drop, go silent, flap; servers and clients that restart. Through a fault-injecting relay. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class ResilienceTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T keep(T c) {
        return closer.keep(c);
    }

    /** A client that reaches the server through {@code relay}, with fast heartbeats (1s / 3s). */
    private ClientConfig viaRelay(FaultRelay relay, int localPort, int remotePort) {
        return ClientConfig.defaults("127.0.0.1", relay.port(), Tunnels.TOKEN,
                        List.of(Tunnels.tcp("r", localPort, remotePort)))
                .withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .withStateFile(dir.resolve("frpc.toml.state"));
    }

    @Test
    void aServerRestartIsFollowedWithinSecondsOnTheSamePort() throws Exception {
        EchoServer echo = keep(new EchoServer());
        JfrpServer first = JfrpServer.start(Tunnels.serverConfig(dir));
        // The restart binds the port the first server was given.
        ServerConfig cfg = Tunnels.serverConfig(dir).withBind("127.0.0.1", first.port());
        JfrpClient client = keep(JfrpClient.start(ClientConfig.defaults("127.0.0.1", first.port(), Tunnels.TOKEN,
                List.of(Tunnels.tcp("rs", echo.port(), 0)))));
        int port = Tunnels.awaitRunning(client, "rs");
        first.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.status().state() == ClientState.RECONNECTING);
        keep(JfrpServer.start(cfg));
        // The port the server chose is asked for again, so users find the service where it was.
        await().atMost(Duration.ofSeconds(5)).until(() -> Tunnels.echoes(port));
        assertThat(client.status().proxy("rs").remotePort()).isEqualTo(port);
        assertThat(client.status().reconnects()).isEqualTo(1);
    }

    @Test
    void aSilentLinkIsNoticedByHeartbeatsAndTheTunnelComesBack() throws Exception {
        EchoServer echo = keep(new EchoServer());
        JfrpServer server = keep(Tunnels.server(dir));
        FaultRelay relay = keep(new FaultRelay(server.port()));
        JfrpClient client = keep(JfrpClient.start(viaRelay(relay, echo.port(), 0)));
        int remote = Tunnels.awaitRunning(client, "r");
        assertThat(Tunnels.echoes(remote)).isTrue();

        relay.freezeExisting();
        // Heartbeat 1s / timeout 3s: the client must notice within about 4s and log in again.
        await().atMost(Duration.ofSeconds(6)).until(() -> client.status().reconnects() == 1);
        await().atMost(Duration.ofSeconds(3)).until(() -> Tunnels.echoes(remote));
        // The stale channel on the server was replaced, not kept beside the new one.
        assertThat(server.sessionCount()).isEqualTo(1);
        assertThat(server.connectedCount()).isEqualTo(1);
    }

    @Test
    void aRestartedClientWhoseOldLinkDiedSilentlyTakesItsPortBackAtOnce() throws Exception {
        EchoServer echo = keep(new EchoServer());
        JfrpServer server = keep(Tunnels.server(dir));
        FaultRelay relay = keep(new FaultRelay(server.port()));
        ClientConfig cfg = viaRelay(relay, echo.port(), 0);
        JfrpClient old = JfrpClient.start(cfg);
        int remote = Tunnels.awaitRunning(old, "r");
        String runId = old.runId();

        relay.freezeExisting(); // the old path dies silently: the server still believes in it
        old.close();            // its goodbye never arrives
        JfrpClient restarted = keep(JfrpClient.start(cfg));
        assertThat(restarted.runId()).isEqualTo(runId);
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(2)).until(() -> Tunnels.echoes(remote));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(server.sessionCount()).isEqualTo(1);
    }

    @Test
    void twoClientsNeverShareARunId() throws Exception {
        JfrpServer server = keep(Tunnels.server(dir));
        ClientConfig cfg = Tunnels.clientConfig(server).withStateFile(dir.resolve("same.toml.state"));
        keep(JfrpClient.start(cfg));
        assertThatThrownBy(() -> JfrpClient.start(cfg)).isInstanceOf(IOException.class)
                .hasMessageContaining("another jfrpc is already running with this config");
    }

    @Test
    void aCopiedStateFileMakesADuplicateThatBacksOffInsteadOfFlapping() throws Exception {
        EchoServer echo = keep(new EchoServer());
        JfrpServer server = keep(Tunnels.server(dir));
        java.nio.file.Files.writeString(dir.resolve("a.state"), "runId=same-client-id\n");
        ClientConfig base = ClientConfig.defaults("127.0.0.1", server.port(), Tunnels.TOKEN,
                List.of(Tunnels.tcp("dup", echo.port(), 0)));
        JfrpClient first = keep(JfrpClient.start(base.withStateFile(dir.resolve("a.state"))));
        int remote = Tunnels.awaitRunning(first, "dup");
        // Copied while the first runs: with its session's secret, so the copy can prove the session is its own.
        java.nio.file.Files.copy(dir.resolve("a.state"), dir.resolve("b.state"));
        JfrpClient second = keep(JfrpClient.start(base.withStateFile(dir.resolve("b.state"))));
        await().atMost(Duration.ofSeconds(5)).until(() -> first.status().lastError().contains("another jfrpc logged in"));
        assertThat(first.status().state()).isEqualTo(ClientState.RECONNECTING);
        // The first waits the longest interval before trying again, so the second keeps the session meanwhile.
        await().atMost(Duration.ofSeconds(5)).until(() -> Tunnels.echoes(remote));
        assertThat(second.status().state()).isEqualTo(ClientState.CONNECTED);
        assertThat(second.status().reconnects()).isZero();
    }

    @Test
    void userConnectionsArrivingWhileTheLinkIsSilentAreHeldAndServed() throws Exception {
        EchoServer echo = keep(new EchoServer());
        // The server notices the silence after 3 s (three of the client's 1 s heartbeats).
        JfrpServer server = keep(JfrpServer.start(Tunnels.serverConfig(dir).withHeartbeatTimeout(Duration.ofSeconds(1))));
        FaultRelay relay = keep(new FaultRelay(server.port()));
        JfrpClient client = keep(JfrpClient.start(viaRelay(relay, echo.port(), 0)));
        int remote = Tunnels.awaitRunning(client, "r");

        relay.mode(FaultRelay.Mode.REFUSE);
        relay.freezeExisting();
        await().atMost(Duration.ofSeconds(8)).until(() -> server.connectedCount() == 0);
        assertThat(Tunnels.listening(remote)).as("a silent link's ports keep listening").isTrue();
        byte[] data = RandomBytes.of(64 * 1024, 5);
        CompletableFuture<byte[]> held = CompletableFuture.supplyAsync(() -> {
            try {
                return Loopback.echo(remote, data, 20);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        int tries = relay.accepted();
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.accepted() >= tries + 2); // the client keeps trying
        assertThat(held).isNotDone();
        relay.mode(FaultRelay.Mode.PASS);
        assertThat(RandomBytes.sha256(held.get(15, TimeUnit.SECONDS))).isEqualTo(RandomBytes.sha256(data));
    }

    @Test
    void aClientWhoseConnectionWasClosedHasItsPortsRefusedAsFrpDoesYetKeptUntilItReturns() throws Exception {
        EchoServer echo = keep(new EchoServer());
        JfrpServer server = keep(Tunnels.server(dir));
        FaultRelay relay = keep(new FaultRelay(server.port()));
        JfrpClient client = keep(JfrpClient.start(viaRelay(relay, echo.port(), 0)));
        int remote = Tunnels.awaitRunning(client, "r");

        relay.mode(FaultRelay.Mode.REFUSE);
        relay.resetAll(); // as when the client's process dies: its kernel closes the connection
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connectedCount() == 0);
        assertThat(Tunnels.listening(remote)).as("users are refused, not held for a client that may be gone").isFalse();
        assertThat(server.sessionCount()).as("the session waits for its client").isEqualTo(1);
        relay.mode(FaultRelay.Mode.PASS);
        await().atMost(Duration.ofSeconds(5)).until(() -> Tunnels.echoes(remote));
        assertThat(client.status().proxy("r").remotePort()).as("the same port, had back").isEqualTo(remote);
        assertThat(server.sessionCount()).isEqualTo(1);
    }

    @Test
    void afterTheGracePeriodThePortsAreFreed() throws Exception {
        EchoServer echo = keep(new EchoServer());
        JfrpServer server = keep(JfrpServer.start(Tunnels.serverConfig(dir).withSessionGracePeriod(Duration.ofSeconds(1))));
        FaultRelay relay = keep(new FaultRelay(server.port()));
        JfrpClient client = keep(JfrpClient.start(viaRelay(relay, echo.port(), 0)));
        int remote = Tunnels.awaitRunning(client, "r");
        relay.mode(FaultRelay.Mode.REFUSE);
        relay.resetAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> !Tunnels.listening(remote) && server.sessionCount() == 0);
        relay.mode(FaultRelay.Mode.PASS);
        await().atMost(Duration.ofSeconds(5)).until(() -> Tunnels.echoes(remote));
    }

    @Test
    void aFlappingLinkLeavesNoLeakedSessionsPortsOrThreads() throws Exception {
        EchoServer echo = keep(new EchoServer());
        JfrpServer server = keep(Tunnels.server(dir));
        FaultRelay relay = keep(new FaultRelay(server.port()));
        JfrpClient client = keep(JfrpClient.start(viaRelay(relay, echo.port(), 0)));
        int remote = Tunnels.awaitRunning(client, "r");
        assertThat(Tunnels.echoes(remote)).isTrue();
        List<String> threadsBefore = ThreadLeakCheck.jfrpThreads();

        for (int i = 1; i <= 10; i++) {
            relay.resetAll();
            int drops = i;
            await().atMost(Duration.ofSeconds(5)).until(() -> client.status().reconnects() == drops
                    && client.status().state() == ClientState.CONNECTED);
            await().atMost(Duration.ofSeconds(5)).until(() -> Tunnels.echoes(remote));
        }
        assertThat(client.status().state()).isEqualTo(ClientState.CONNECTED);
        assertThat(server.sessionCount()).isEqualTo(1);
        assertThat(server.connectedCount()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.openLinks() <= 1);
        // The tunnel starts no thread per reconnect: the same event loops, resolvers and nothing else.
        assertThat(ThreadLeakCheck.jfrpThreads()).isEqualTo(threadsBefore);
    }
}
