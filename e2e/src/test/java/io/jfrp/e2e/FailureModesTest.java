package io.jfrp.e2e;

import io.jfrp.client.ClientStatus;
import io.jfrp.client.JfrpClient;
import io.jfrp.client.ProxyState;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.PortRanges;
import io.jfrp.core.config.ServerTls;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import io.jfrp.testing.Loopback;
import io.jfrp.testing.RandomBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bad input from every side: each gets a clear answer and nothing else is disturbed. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class FailureModesTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T keep(T c) {
        return closer.keep(c);
    }

    @Test
    void aWrongTokenIsRefusedAndTheClientSaysWhy() throws Exception {
        JfrpServer server = keep(Tunnels.server(dir));
        EchoServer echo = keep(new EchoServer());
        ClientConfig cfg = ClientConfig.defaults("127.0.0.1", server.port(), "wrong-token",
                List.of(Tunnels.tcp("tok", echo.port(), 0)));
        JfrpClient client = keep(JfrpClient.start(cfg));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().lastError().contains("auth.token"));
        assertThat(client.status().state().name()).isEqualTo("CONNECTING");
        // No session, so no port: a refused client never gets a proxy opened.
        assertThat(server.sessionCount()).isZero();
        assertThat(client.status().proxy("tok").remotePort()).isZero();
    }

    @Test
    void loginFailExitStopsTheClientWithTheReason() throws Exception {
        JfrpServer server = keep(Tunnels.server(dir));
        ClientConfig cfg = ClientConfig.defaults("127.0.0.1", server.port(), "wrong-token", List.of())
                .withLoginFailExit(true);
        JfrpClient client = keep(JfrpClient.start(cfg));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.terminated().isDone());
        assertThat(client.terminated()).isCompletedExceptionally();
    }

    @Test
    void aTakenPortIsNamedAndTheOtherProxiesOfTheClientStillRun() throws Exception {
        JfrpServer server = keep(Tunnels.server(dir));
        EchoServer echo = keep(new EchoServer());
        ServerSocket squatter = keep(new ServerSocket());
        squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        JfrpClient client = keep(Tunnels.client(server, Tunnels.tcp("taken", echo.port(), squatter.getLocalPort()),
                Tunnels.tcp("fine", echo.port(), 0)));
        ClientStatus.Proxy taken = Tunnels.awaitSettled(client, "taken");
        assertThat(taken.state()).isEqualTo(ProxyState.REFUSED);
        assertThat(taken.lastError()).contains("port " + squatter.getLocalPort() + " is already in use")
                .contains("asking again in");
        assertThat(Tunnels.echoes(Tunnels.awaitRunning(client, "fine"))).isTrue();

        // The port is freed: the client asks again on its own (1 s, then 2, 4...) and gets it, no reconnect.
        int port = squatter.getLocalPort();
        squatter.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.status().proxy("taken").state() == ProxyState.RUNNING);
        assertThat(client.status().proxy("taken").remotePort()).isEqualTo(port);
        assertThat(Tunnels.echoes(port)).isTrue();
        assertThat(client.status().reconnects()).isZero();
    }

    @Test
    void portsOutsideAllowPortsAndOverTheLimitAreRefused() throws Exception {
        // Below Linux's ephemeral range, so the random choice rarely meets a port the system handed out.
        int from = 21000;
        int to = 21999;
        JfrpServer server = keep(JfrpServer.start(Tunnels.serverConfig(dir)
                .withPorts(new PortRanges(List.of(new int[]{from, to})), 1)));
        EchoServer echo = keep(new EchoServer());
        int outside = to + 1;
        JfrpClient client = keep(Tunnels.client(server, Tunnels.tcp("in", echo.port(), 0),
                Tunnels.tcp("out", echo.port(), outside), Tunnels.tcp("any", echo.port(), 0)));
        // Port 0 with allowPorts set: a random port within the ranges.
        int in = Tunnels.awaitRunning(client, "in");
        assertThat(in).isBetween(from, to);
        assertThat(Tunnels.echoes(in)).isTrue();
        ClientStatus.Proxy out = Tunnels.awaitSettled(client, "out");
        assertThat(out.state()).isEqualTo(ProxyState.REFUSED);
        assertThat(out.lastError()).contains("port " + outside + " is not allowed").contains("allowPorts: " + from + "-" + to);
        // A second port for the client is over maxPortsPerClient = 1, whatever port it asks for.
        ClientStatus.Proxy any = Tunnels.awaitSettled(client, "any");
        assertThat(any.state()).isEqualTo(ProxyState.REFUSED);
        assertThat(any.lastError()).contains("already has 1 ports (maxPortsPerClient)");
    }

    @Test
    void aProxyNameUsedTwiceIsRefusedForTheSecondClientOnly() throws Exception {
        JfrpServer server = keep(Tunnels.server(dir));
        EchoServer echo = keep(new EchoServer());
        JfrpClient first = keep(Tunnels.client(server, Tunnels.tcp("web", echo.port(), 0)));
        int port = Tunnels.awaitRunning(first, "web");
        JfrpClient second = keep(Tunnels.client(server, Tunnels.tcp("web", echo.port(), 0)));
        ClientStatus.Proxy dup = Tunnels.awaitSettled(second, "web");
        assertThat(dup.state()).isEqualTo(ProxyState.REFUSED);
        assertThat(dup.lastError()).contains("proxy name web is already in use by another client")
                .as("another client's runId and address are not this one's business").doesNotContain(first.runId());
        assertThat(Tunnels.echoes(port)).isTrue();
    }

    @Test
    void aDeadLocalServiceClosesTheUserConnectionAtOnceAndRecoversWhenItIsBack() throws Exception {
        JfrpServer server = keep(Tunnels.server(dir));
        Socket reserved = keep(Loopback.reservedPort());
        int local = reserved.getLocalPort();
        JfrpClient client = keep(Tunnels.client(server, Tunnels.tcp("down", local, 0)));
        int port = Tunnels.awaitRunning(client, "down");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(5000); // far above the expected: the reset comes as soon as the dial fails
            assertThat(Loopback.readToEnd(s)).isEqualTo(Loopback.End.RESET);
        }
        assertThat(client.status().proxy("down").lastError()).contains("unreachable");
        assertThat(client.status().proxy("down").state()).isEqualTo(ProxyState.RUNNING);

        try (ServerSocket back = new ServerSocket()) {
            back.setReuseAddress(true);
            back.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), local));
            Thread t = new Thread(() -> {
                try (Socket c = back.accept(); InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
                    out.write(in.readNBytes(4));
                } catch (IOException ignored) {
                    // the test fails on its own assertion
                }
            });
            t.start();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write("back".getBytes());
                assertThat(new String(s.getInputStream().readNBytes(4))).isEqualTo("back");
            }
            t.join(10_000);
        }
    }

    @Test
    void garbageOversizedFramesAndHalfHellosOnTheBindPortHarmNothing() throws Exception {
        JfrpServer server = keep(Tunnels.server(dir));
        EchoServer echo = keep(new EchoServer());
        JfrpClient client = keep(Tunnels.client(server, Tunnels.tcp("g", echo.port(), 0)));
        int port = Tunnels.awaitRunning(client, "g");

        for (int i = 0; i < 10; i++) {
            sendAndExpectClose(server.port(), RandomBytes.of(64 * 1024, 100 + i));
        }
        // A valid preface followed by a frame claiming 1 GiB: refused before anything is buffered.
        ByteBuffer big = ByteBuffer.allocate(15).putInt(0x4A465250).put((byte) 1).put((byte) 0)
                .put((byte) 35).putInt(1).putInt(1 << 30);
        sendAndExpectClose(server.port(), big.array());
        // A TLS record header followed by nonsense.
        sendAndExpectClose(server.port(), new byte[]{0x16, 3, 1, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        // Half a hello, then silence (a slow-loris): the tunnel works while it hangs.
        try (Socket loris = new Socket()) {
            loris.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5000);
            loris.getOutputStream().write(new byte[]{'J', 'F', 'R'});
            assertThat(Tunnels.echoes(port)).isTrue();
        }
        assertThat(Tunnels.echoes(port)).isTrue();
        assertThat(server.sessionCount()).isEqualTo(1);
    }

    /** A plain-only server (TLS off on the client) and a TLS-only one (force) both work and refuse the other kind. */
    @Test
    void tlsForceRefusesPlainClients() throws Exception {
        JfrpServer server = keep(JfrpServer.start(Tunnels.serverConfig(dir).withTls(new ServerTls(true, null, null, null))));
        EchoServer echo = keep(new EchoServer());
        JfrpClient tls = keep(Tunnels.client(server, Tunnels.tcp("tls", echo.port(), 0)));
        assertThat(Tunnels.echoes(Tunnels.awaitRunning(tls, "tls"))).isTrue();
        JfrpClient plain = keep(JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("plain", echo.port(), 0))
                .withTls(new io.jfrp.core.config.ClientTls(false, null, null, null, "", ""))));
        // Refused for what it is, not any error: the client is told to turn TLS on.
        await().atMost(Duration.ofSeconds(10)).until(() -> plain.status().lastError().contains("accepts only TLS"));
        assertThat(plain.status().lastError()).contains("set transport.tls.enable = true");
        assertThat(plain.status().proxy("plain").state()).isEqualTo(ProxyState.PENDING);
    }

    private static void sendAndExpectClose(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(5000);
            try {
                s.getOutputStream().write(bytes);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                while (in.read(buf) >= 0) {
                    // drain whatever the server says before it closes
                }
            } catch (SocketException reset) {
                // a reset is a close too
            }
        }
    }
}
