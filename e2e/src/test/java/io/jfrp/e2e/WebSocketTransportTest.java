package io.jfrp.e2e;

import io.jfrp.client.ClientState;
import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ClientTls;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.FaultRelay;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.Loopback;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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

/** transport.protocol = "websocket": the control channel inside an HTTP upgrade on the bind port. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class WebSocketTransportTest {

    @TempDir
    Path dir;
    private EchoServer echo;
    private JfrpServer server;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        echo = new EchoServer();
        server = Tunnels.server(dir);
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

    private ClientConfig websocket(boolean tls) {
        ClientConfig c = Tunnels.clientConfig(server, Tunnels.tcp("echo", echo.port(), 0)).withProtocol("websocket");
        return tls ? c : c.withTls(new ClientTls(false, null, null, null, "", ""));
    }

    @Test
    void tenMebibytesEchoIntactOverTlsInsideTheWebSocket() throws Exception {
        JfrpClient client = keep(JfrpClient.start(websocket(true)));
        int port = Tunnels.awaitRunning(client, "echo");
        byte[] data = RandomBytes.of(10 * 1024 * 1024, 31);
        assertThat(RandomBytes.sha256(Loopback.echo(port, data, 60))).isEqualTo(RandomBytes.sha256(data));
    }

    @Test
    void wssStraightToTheBindPortCarriesTenMebibytes() throws Exception {
        // TLS first, the upgrade inside it, then the session's frames with no second TLS: what an HTTPS
        // reverse proxy in front of a server passes on, and what jfrps's bind port takes itself.
        JfrpClient client = keep(JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("echo", echo.port(), 0))
                .withProtocol("wss")));
        int port = Tunnels.awaitRunning(client, "echo");
        byte[] data = RandomBytes.of(10 * 1024 * 1024, 33);
        assertThat(RandomBytes.sha256(Loopback.echo(port, data, 60))).isEqualTo(RandomBytes.sha256(data));
    }

    @Test
    void wssChecksTheServersCertificateAsTcpDoes() throws Exception {
        JfrpClient client = keep(JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("echo", echo.port(), 0))
                .withProtocol("wss").withTls(new ClientTls(true, null, null, null, "", "00".repeat(32)))));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().lastError() != null
                && !client.status().lastError().isEmpty());
        assertThat(client.status().state()).isNotEqualTo(ClientState.CONNECTED);
        assertThat(server.sessionCount()).isZero();
    }

    @Test
    void plainWebSocketCarriesFramesLargerThanOneWebSocketFrame() throws Exception {
        // Without TLS the session writes data frames of up to 64 KiB plus headers, and batches: some
        // writes pass the WebSocket's frame limit and are cut into several frames.
        JfrpClient client = keep(JfrpClient.start(websocket(false)));
        int port = Tunnels.awaitRunning(client, "echo");
        byte[] data = RandomBytes.of(10 * 1024 * 1024, 32);
        assertThat(RandomBytes.sha256(Loopback.echo(port, data, 60))).isEqualTo(RandomBytes.sha256(data));
    }

    @Test
    void fiftyConcurrentStreamsAllIntact() throws Exception {
        JfrpClient client = keep(JfrpClient.start(websocket(true)));
        int port = Tunnels.awaitRunning(client, "echo");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int seed = 100 + i;
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
    }

    @Test
    void aTcpClientAndAWebSocketClientShareTheBindPort() throws Exception {
        JfrpClient ws = keep(JfrpClient.start(websocket(true)));
        JfrpClient tcp = keep(JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("echo2", echo.port(), 0))));
        int a = Tunnels.awaitRunning(ws, "echo");
        int b = Tunnels.awaitRunning(tcp, "echo2");
        assertThat(Tunnels.echoes(a)).isTrue();
        assertThat(Tunnels.echoes(b)).isTrue();
        assertThat(server.sessionCount()).isEqualTo(2);
    }

    @Test
    void aPlainGetOfTheUpgradePathIsRefusedAndDisturbsNothing() throws Exception {
        JfrpClient client = keep(JfrpClient.start(websocket(true)));
        int port = Tunnels.awaitRunning(client, "echo");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /~!frp HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 4");
        }
        assertThat(Tunnels.echoes(port)).isTrue();
    }

    @Test
    void aPortThatIsNotAJfrpsIsNamedInTheClientsError() throws Exception {
        // An HTTP server that answers every request with 404, as a web server in the wrong place would.
        try (ServerSocket web = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!web.isClosed()) {
                    try (Socket s = web.accept()) {
                        InputStream in = s.getInputStream();
                        byte[] buf = new byte[4096];
                        in.read(buf);
                        OutputStream out = s.getOutputStream();
                        out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            JfrpClient client = keep(JfrpClient.start(ClientConfig.defaults("127.0.0.1", web.getLocalPort(), Tunnels.TOKEN,
                    List.of(Tunnels.tcp("echo", echo.port(), 0))).withProtocol("websocket")));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.status().lastError() != null && !client.status().lastError().isEmpty());
            assertThat(client.status().lastError()).contains("WebSocket upgrade").contains("404");
            assertThat(client.status().state()).isNotEqualTo(ClientState.CONNECTED);
        }
    }

    @Test
    void aFrozenWebSocketIsNoticedAndTheSessionComesBack() throws Exception {
        FaultRelay relay = keep(new FaultRelay(server.port()));
        JfrpClient client = keep(JfrpClient.start(ClientConfig.defaults("127.0.0.1", relay.port(), Tunnels.TOKEN,
                        List.of(Tunnels.tcp("echo", echo.port(), 0))).withProtocol("websocket")
                .withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .withStateFile(dir.resolve("frpc.toml.state"))));
        int remote = Tunnels.awaitRunning(client, "echo");
        assertThat(Tunnels.echoes(remote)).isTrue();
        relay.freezeExisting();
        await().atMost(Duration.ofSeconds(8)).until(() -> client.status().reconnects() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> Tunnels.echoes(remote));
        assertThat(server.sessionCount()).isEqualTo(1);
    }
}
