package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.DomainRouting;
import io.jfrp.core.config.ProxyLabels;
import io.jfrp.core.config.TcpmuxProxyConfig;
import io.jfrp.core.config.VhostSettings;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** tcpmux (frp's httpconnect): CONNECT to a proxy's domain on the server's one port, then a plain stream. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class TcpmuxTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    private static TcpmuxProxyConfig tcpmux(String name, int localPort, List<String> domains, String subdomain) {
        return new TcpmuxProxyConfig(name, "127.0.0.1", localPort, domains, subdomain, ProxyLabels.NONE, "");
    }

    /** Reads up to and including the blank line that ends an HTTP head. */
    private static String head(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static Socket connect(int port, String request) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    @Test
    void connectsByDomainAndBySubdomainReachTheirServicesAndOthersAreRefused() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)
                .withVhost(new VhostSettings(VhostSettings.ANY_PORT, false, "example.test"))));
        EchoServer a = closer.keep(new EchoServer());
        EchoServer b = closer.keep(new EchoServer());
        JfrpClient client = closer.keep(Tunnels.client(server, tcpmux("a", a.port(), List.of("a.example.com"), ""),
                tcpmux("b", b.port(), List.of(), "b")));
        Tunnels.awaitRunning(client, "a");
        Tunnels.awaitRunning(client, "b");
        int port = server.tcpmuxPort();

        // The user's first bytes right behind the CONNECT, in one write: they must reach the service.
        try (Socket s = connect(port, "CONNECT a.example.com:443 HTTP/1.1\r\nHost: a.example.com:443\r\n\r\nhello-a")) {
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 200");
            assertThat(s.getInputStream().readNBytes(7)).isEqualTo("hello-a".getBytes(StandardCharsets.US_ASCII));
            byte[] data = RandomBytes.of(256 * 1024, 11);
            CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.getInputStream().readNBytes(data.length);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            OutputStream out = s.getOutputStream();
            out.write(data);
            assertThat(RandomBytes.sha256(back.get(20, TimeUnit.SECONDS))).isEqualTo(RandomBytes.sha256(data));
        }
        try (Socket s = connect(port, "CONNECT B.Example.Test:22 HTTP/1.1\r\n\r\n")) {
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 200");
            s.getOutputStream().write("hello-b".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().readNBytes(7)).isEqualTo("hello-b".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(a.accepted()).isEqualTo(1);
        assertThat(b.accepted()).isEqualTo(1);
        for (String[] refused : new String[][]{
                {"CONNECT nobody.example.com:443 HTTP/1.1\r\n\r\n", "HTTP/1.1 404"},
                {"GET / HTTP/1.1\r\nHost: a.example.com\r\n\r\n", "HTTP/1.1 405"},
                {"this is not http\r\n\r\n", "HTTP/1.1 400"},
                {"CONNECT " + "x".repeat(5000) + " HTTP/1.1\r\n\r\n", "HTTP/1.1 400"}}) {
            try (Socket s = connect(port, refused[0])) {
                assertThat(head(s.getInputStream())).as(refused[0].substring(0, 20)).startsWith(refused[1]);
                s.getInputStream().readAllBytes(); // then closed
            }
        }
        assertThat(a.accepted() + b.accepted()).as("refused users reach no service").isEqualTo(2);
    }

    private static String basic(String user, String password) {
        return "Proxy-Authorization: Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    @Test
    void proxyAuthIsCheckedAndAUsersConnectsGoToTheProxyRoutedForThem() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)
                .withVhost(new VhostSettings(VhostSettings.ANY_PORT, false, ""))));
        EchoServer guarded = closer.keep(new EchoServer());
        EchoServer forUser1 = closer.keep(new EchoServer());
        EchoServer forOthers = closer.keep(new EchoServer());
        JfrpClient client = closer.keep(Tunnels.client(server,
                new TcpmuxProxyConfig("guarded", "127.0.0.1", guarded.port(),
                        DomainRouting.of(List.of("auth.example.com"), "").withCredentials("test", "s3cret"),
                        ProxyLabels.NONE, ""),
                new TcpmuxProxyConfig("foo", "127.0.0.1", forUser1.port(),
                        DomainRouting.of(List.of("r.example.com"), "").routedByUser("user1"), ProxyLabels.NONE, ""),
                tcpmux("catchAll", forOthers.port(), List.of("r.example.com"), "")));
        for (String name : new String[]{"guarded", "foo", "catchAll"}) {
            Tunnels.awaitRunning(client, name);
        }
        int port = server.tcpmuxPort();
        for (String auth : new String[]{"", basic("test", "wrong"), basic("other", "s3cret")}) {
            try (Socket s = connect(port, "CONNECT auth.example.com:80 HTTP/1.1\r\n" + auth + "\r\n")) {
                String head = head(s.getInputStream());
                assertThat(head).startsWith("HTTP/1.1 407").contains("proxy-authenticate: Basic");
            }
        }
        try (Socket s = connect(port, "CONNECT auth.example.com:80 HTTP/1.1\r\n" + basic("test", "s3cret") + "\r\nhi")) {
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 200");
            assertThat(s.getInputStream().readNBytes(2)).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
        }
        for (String user : new String[]{"user1", "user3"}) {
            try (Socket s = connect(port, "CONNECT r.example.com:80 HTTP/1.1\r\n" + basic(user, "") + "\r\nhi")) {
                assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 200");
                assertThat(s.getInputStream().readNBytes(2)).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
            }
        }
        assertThat(guarded.accepted()).isEqualTo(1);
        assertThat(forUser1.accepted()).as("user1's CONNECT").isEqualTo(1);
        assertThat(forOthers.accepted()).as("everyone else's").isEqualTo(1);
    }

    @Test
    void withPassthroughTheServiceGetsTheConnectAndAnswersIt() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)
                .withVhost(new VhostSettings(VhostSettings.ANY_PORT, true, ""))));
        ServerSocket service = closer.keep(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
            try (Socket s = service.accept()) {
                s.setSoTimeout(10_000);
                String request = head(s.getInputStream());
                s.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] body = s.getInputStream().readNBytes(3);
                s.getOutputStream().write(body);
                return request;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        JfrpClient client = closer.keep(Tunnels.client(server, tcpmux("p", service.getLocalPort(),
                List.of("normal.example.com"), "")));
        Tunnels.awaitRunning(client, "p");
        try (Socket s = connect(server.tcpmuxPort(), "CONNECT normal.example.com:80 HTTP/1.1\r\nHost: normal.example.com:80\r\n\r\n")) {
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 200 Connection established");
            s.getOutputStream().write("frp".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().readNBytes(3)).isEqualTo("frp".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(
                "CONNECT normal.example.com:80 HTTP/1.1\r\nHost: normal.example.com:80\r\n\r\n");
    }
}
