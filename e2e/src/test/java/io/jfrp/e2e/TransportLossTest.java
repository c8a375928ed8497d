package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.VhostSettings;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.Loopback;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's bar for every transport: 20 MiB through the tunnel and back intact, without loss, and for
 * the UDP ones with one datagram in twenty lost each way (the TCP ones leave loss to the kernel's TCP:
 * bench/run's transports section measures them over an emulated lossy link).
 */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class TransportLossTest {

    private static final int SIZE = 20 * 1024 * 1024;

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    /**
     * Paranoid leak tracing records every access to a buffer, and the WebSocket codec masks and unmasks
     * four bytes at a time: 20 MiB would take a minute of tracing. Sampled here; the transports' own
     * tests trace every buffer.
     */
    @BeforeAll
    static void sampledLeakTracing() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.ADVANCED);
    }

    @AfterAll
    static void paranoidAgain() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    private JfrpServer server() throws Exception {
        return closer.keep(JfrpServer.start(Tunnels.serverConfig(dir).withKcpBindPort(VhostSettings.ANY_PORT)
                .withQuicBindPort(VhostSettings.ANY_PORT)));
    }

    private static int portFor(JfrpServer server, String protocol) {
        return switch (protocol) {
            case "kcp" -> server.kcpPort();
            case "quic" -> server.quicPort();
            default -> server.port();
        };
    }

    private void twentyMebibytesIntact(int serverPort, String protocol, EchoServer echo, int seed) throws Exception {
        JfrpClient client = closer.keep(JfrpClient.start(ClientConfig.defaults("127.0.0.1", serverPort, Tunnels.TOKEN,
                List.of(Tunnels.tcp("echo", echo.port(), 0))).withProtocol(protocol)));
        int port = Tunnels.awaitRunning(client, "echo");
        byte[] data = RandomBytes.of(SIZE, seed);
        byte[] got = Loopback.echo(port, data, 120);
        assertThat(got.length).as("bytes echoed before a clean end").isEqualTo(data.length);
        assertThat(RandomBytes.sha256(got)).isEqualTo(RandomBytes.sha256(data));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "websocket", "wss", "quic", "kcp"})
    void twentyMebibytesIntact(String protocol) throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = server();
        twentyMebibytesIntact(portFor(server, protocol), protocol, echo, protocol.hashCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"quic", "kcp"})
    void twentyMebibytesIntactWithFivePercentLossEachWay(String protocol) throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = server();
        LossyUdpRelay relay = closer.keep(new LossyUdpRelay(portFor(server, protocol), 20));
        twentyMebibytesIntact(relay.port(), protocol, echo, 5 * protocol.hashCode());
        assertThat(relay.dropped()).isGreaterThan(100);
    }
}
