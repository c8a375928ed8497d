package io.jfrp.e2e;

import io.jfrp.client.ClientState;
import io.jfrp.client.Diagnosis;
import io.jfrp.core.doctor.Check;
import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ClientTls;
import io.jfrp.core.config.VhostSettings;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.Loopback;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import io.jfrp.testing.UdpEchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** transport.protocol = "quic": the control channel on one QUIC stream to the server's quicBindPort. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class QuicTransportTest {

    @TempDir
    Path dir;
    private EchoServer echo;
    private JfrpServer server;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        echo = new EchoServer();
        server = JfrpServer.start(Tunnels.serverConfig(dir).withQuicBindPort(VhostSettings.ANY_PORT));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        server.close();
        echo.close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        closing.add(c);
        return c;
    }

    private ClientConfig quic(boolean tls) {
        ClientConfig c = ClientConfig.defaults("127.0.0.1", server.quicPort(), Tunnels.TOKEN,
                List.of(Tunnels.tcp("echo", echo.port(), 0))).withProtocol("quic");
        return tls ? c : c.withTls(new ClientTls(false, null, null, null, "", ""));
    }

    @Test
    void tenMebibytesEchoIntactOverTlsOnAQuicStream() throws Exception {
        JfrpClient client = keep(JfrpClient.start(quic(true)));
        int port = Tunnels.awaitRunning(client, "echo");
        byte[] data = RandomBytes.of(10 * 1024 * 1024, 41);
        assertThat(RandomBytes.sha256(Loopback.echo(port, data, 60))).isEqualTo(RandomBytes.sha256(data));
    }

    @Test
    void tenMebibytesEchoIntactWithoutTheInnerTls() throws Exception {
        JfrpClient client = keep(JfrpClient.start(quic(false)));
        int port = Tunnels.awaitRunning(client, "echo");
        byte[] data = RandomBytes.of(10 * 1024 * 1024, 42);
        assertThat(RandomBytes.sha256(Loopback.echo(port, data, 60))).isEqualTo(RandomBytes.sha256(data));
    }

    @Test
    void fiftyConcurrentStreamsAndAUdpProxyAllIntact() throws Exception {
        try (UdpEchoServer udpEcho = new UdpEchoServer()) {
            JfrpClient client = keep(JfrpClient.start(ClientConfig.defaults("127.0.0.1", server.quicPort(), Tunnels.TOKEN,
                    List.of(Tunnels.tcp("echo", echo.port(), 0), Tunnels.udp("u", udpEcho.port(), 0))).withProtocol("quic")));
            int port = Tunnels.awaitRunning(client, "echo");
            int udpPort = Tunnels.awaitRunning(client, "u");
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    int seed = 200 + i;
                    results.add(pool.submit(() -> {
                        byte[] data = RandomBytes.of(256 * 1024, seed);
                        return RandomBytes.sha256(Loopback.echo(port, data, 60)).equals(RandomBytes.sha256(data));
                    }));
                }
                for (Future<Boolean> r : results) {
                    assertThat(r.get(90, TimeUnit.SECONDS)).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Tunnels.udpEchoes(udpPort));
        }
    }

    @Test
    void theTcpBindPortAndTheQuicPortServeClientsSideBySide() throws Exception {
        JfrpClient q = keep(JfrpClient.start(quic(true)));
        JfrpClient t = keep(JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("echo2", echo.port(), 0))));
        assertThat(Tunnels.echoes(Tunnels.awaitRunning(q, "echo"))).isTrue();
        assertThat(Tunnels.echoes(Tunnels.awaitRunning(t, "echo2"))).isTrue();
        assertThat(server.sessionCount()).isEqualTo(2);
    }

    @Test
    void aSilentUdpPortIsNamedInTheClientsErrorAndDoctor() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            ClientConfig c = ClientConfig.defaults("127.0.0.1", silent.getLocalPort(), Tunnels.TOKEN, List.of())
                    .withProtocol("quic");
            ClientConfig quick = c.withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(3));
            JfrpClient client = keep(JfrpClient.start(quick));
            await().atMost(Duration.ofSeconds(20)).until(() -> client.status().lastError() != null && !client.status().lastError().isEmpty());
            assertThat(client.status().lastError()).contains("no QUIC handshake").contains("quicBindPort");
            assertThat(client.status().state()).isNotEqualTo(ClientState.CONNECTED);

            List<Check> checks = Diagnosis.run(c, Duration.ofSeconds(1));
            assertThat(checks).extracting(Check::name).startsWith("server name", "transport");
            assertThat(checks.get(1).ok()).isFalse();
            assertThat(checks).extracting(Check::name).doesNotContain("tls", "login");
        }
    }

    @Test
    void doctorLogsInOverQuic() {
        List<Check> checks = Diagnosis.run(quic(true), Duration.ofSeconds(3));
        assertThat(checks).extracting(Check::name)
                .containsExactly("server name", "transport", "tls", "protocol", "login", "clock", "proxy echo",
                        "remote echo", "descriptors", "route");
        assertThat(checks).allMatch(Check::ok);
    }
}
