package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.client.ProxyState;
import io.jfrp.core.config.ClientTls;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import io.jfrp.testing.Loopback;
import io.jfrp.testing.RandomBytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Bytes through a real tunnel: large, many at once, and one stalled stream beside a busy one. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class TcpTunnelTest {

    @TempDir
    Path dir;
    private EchoServer echo;
    private JfrpServer server;
    private JfrpClient client;

    @BeforeEach
    void start() throws Exception {
        echo = new EchoServer();
        server = Tunnels.server(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        server.close();
        echo.close();
    }

    @Test
    void tenMebibytesEchoIntactOverTls() throws Exception {
        client = Tunnels.client(server, Tunnels.tcp("echo", echo.port(), 0));
        int port = Tunnels.awaitRunning(client, "echo");
        byte[] data = RandomBytes.of(10 * 1024 * 1024, 1);
        byte[] got = Loopback.echo(port, data, 60);
        assertThat(got.length).isEqualTo(data.length);
        assertThat(RandomBytes.sha256(got)).isEqualTo(RandomBytes.sha256(data));
    }

    @Test
    void trustOnFirstUseKeepsTheFirstCertificateAndRefusesAnother(@TempDir Path state) throws Exception {
        ClientTls tofu = new ClientTls(true, null, null, null, "", "", true);
        client = JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("tofu", echo.port(), 0)).withTls(tofu)
                .withStateFile(state.resolve("first.state")));
        int port = Tunnels.awaitRunning(client, "tofu");
        byte[] data = RandomBytes.of(1024, 4);
        assertThat(Loopback.echo(port, data, 10)).isEqualTo(data);
        Path known = state.resolve("known_servers");
        String kept = java.nio.file.Files.readString(known);
        assertThat(kept).contains("127.0.0.1:" + server.port() + " " + server.certificateFingerprint() + " ");

        // The file now keeps another certificate for this server, as if someone in between had been met first.
        java.nio.file.Files.writeString(known, kept.replace(server.certificateFingerprint(), "AB:".repeat(31) + "AB"));
        try (JfrpClient other = JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("tofu2", echo.port(), 0))
                .withTls(tofu).withStateFile(state.resolve("second.state")))) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> other.status().lastError().contains("someone may be in between"));
            assertThat(other.status().lastError()).contains(known + ":3", server.certificateFingerprint());
            assertThat(other.status().proxy("tofu2").state()).isEqualTo(ProxyState.PENDING);
        }
    }

    @Test
    void tenMebibytesEchoIntactWithoutTls() throws Exception {
        client = JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("plain", echo.port(), 0))
                .withTls(new ClientTls(false, null, null, null, "", "")));
        int port = Tunnels.awaitRunning(client, "plain");
        byte[] data = RandomBytes.of(10 * 1024 * 1024, 2);
        assertThat(RandomBytes.sha256(Loopback.echo(port, data, 60))).isEqualTo(RandomBytes.sha256(data));
    }

    @Test
    void aPinnedFingerprintIsCheckedAndAWrongOneRefused() throws Exception {
        client = JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("pinned", echo.port(), 0))
                .withTls(new ClientTls(true, null, null, null, "", server.certificateFingerprint())));
        int port = Tunnels.awaitRunning(client, "pinned");
        byte[] data = RandomBytes.of(1024, 3);
        assertThat(Loopback.echo(port, data, 10)).isEqualTo(data);

        String wrong = "00".repeat(32);
        try (JfrpClient bad = JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("wrongpin", echo.port(), 0))
                .withTls(new ClientTls(true, null, null, null, "", wrong)))) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> bad.status().lastError().contains("TLS handshake failed"));
            assertThat(bad.status().proxy("wrongpin").state()).isEqualTo(ProxyState.PENDING);
        }
    }

    @Test
    void twoHundredConcurrentStreamsAllIntact() throws Exception {
        client = Tunnels.client(server, Tunnels.tcp("many", echo.port(), 0));
        int port = Tunnels.awaitRunning(client, "many");
        int n = 200;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int seed = 100 + i;
                results.add(pool.submit(() -> {
                    gate.await();
                    byte[] data = RandomBytes.of(64 * 1024, seed);
                    return RandomBytes.sha256(Loopback.echo(port, data, 60)).equals(RandomBytes.sha256(data));
                }));
            }
            gate.countDown();
            int ok = 0;
            for (Future<Boolean> f : results) {
                if (f.get(90, TimeUnit.SECONDS)) {
                    ok++;
                }
            }
            assertThat(ok).isEqualTo(n);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Stream A's local service never reads, so A's window fills and its sender blocks; stream B on the
     * same session meanwhile moves 50 MiB both ways to completion.
     */
    @Test
    void aStalledReaderDoesNotStallItsNeighbour() throws Exception {
        client = Tunnels.client(server, Tunnels.tcp("shared", echo.port(), 0));
        int port = Tunnels.awaitRunning(client, "shared");

        echo.stallNewConnections(true);
        AtomicLong stalledSent = new AtomicLong();
        Socket stalled = new Socket();
        stalled.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        CompletableFuture<Void> stalledWriter = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = stalled.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 1024; i++) { // 64 MiB at most: far more than window and socket buffers
                    out.write(chunk);
                    stalledSent.addAndGet(chunk.length);
                }
            } catch (Exception e) {
                // closed by the test at the end
            }
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> echo.accepted() >= 1);
        echo.stallNewConnections(false);

        byte[] data = RandomBytes.of(50 * 1024 * 1024, 4);
        byte[] got = Loopback.echo(port, data, 120);
        assertThat(RandomBytes.sha256(got)).isEqualTo(RandomBytes.sha256(data));

        // The stalled stream is still blocked: its window (plus kernel buffers) bounded what it could send.
        assertThat(stalledWriter).isNotDone();
        assertThat(stalledSent.get()).isLessThan(64L * 1024 * 1024);
        stalled.close();
        stalledWriter.get(30, TimeUnit.SECONDS);
    }

    @Test
    void halfCloseIsCarriedAcross() throws Exception {
        client = Tunnels.client(server, Tunnels.tcp("half", echo.port(), 0));
        int port = Tunnels.awaitRunning(client, "half");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("ping".getBytes());
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes(); // the echo service answers, then closes after our FIN reached it
            assertThat(new String(all)).isEqualTo("ping");
        }
    }

    /**
     * The other direction: the service answers and half-closes first; the user reads to the end, then
     * sends a mebibyte and closes. The server half-closes the user's socket and must still carry
     * everything the user sends after that, then end the stream when the user's input ends.
     */
    @Test
    void halfCloseFromTheServiceLetsTheUserFinishSending() throws Exception {
        byte[] answer = RandomBytes.of(200_000, 7);
        byte[] upload = RandomBytes.of(1 << 20, 8);
        try (ServerSocket service = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = service.accept()) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(answer);
                    s.shutdownOutput();
                    return RandomBytes.sha256(s.getInputStream().readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            client = Tunnels.client(server, Tunnels.tcp("half-back", service.getLocalPort(), 0));
            int port = Tunnels.awaitRunning(client, "half-back");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                assertThat(RandomBytes.sha256(in.readAllBytes())).isEqualTo(RandomBytes.sha256(answer));
                s.getOutputStream().write(upload);
                s.shutdownOutput();
                assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(RandomBytes.sha256(upload));
            }
        }
    }
}
