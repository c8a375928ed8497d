package io.jfrp.e2e;

import com.sun.net.httpserver.HttpServer;
import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.PluginConfig;
import io.jfrp.core.config.ProxyLabels;
import io.jfrp.core.config.TcpProxyConfig;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** frp's client plugins: TLS ended in the client, requests edited, a unix socket as the service. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class ClientPluginTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    /** An HTTP service that answers with the request's headers and the SHA-256 of its body. */
    private HttpServer headerEcho() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        http.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            StringBuilder out = new StringBuilder();
            ex.getRequestHeaders().forEach((k, v) -> out.append(k.toLowerCase()).append(": ").append(String.join(",", v)).append('\n'));
            out.append("body-sha256: ").append(RandomBytes.sha256(body)).append('\n');
            byte[] b = out.toString().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        http.setExecutor(Executors.newFixedThreadPool(2));
        http.start();
        closer.keep(() -> {
            http.stop(0);
            ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
        });
        return http;
    }

    private int proxyPort(JfrpServer server, PluginConfig plugin, String proxyProtocol) throws Exception {
        ClientConfig c = Tunnels.clientConfig(server, new TcpProxyConfig("plugged", "127.0.0.1", 0, 0, ProxyLabels.NONE,
                proxyProtocol, plugin));
        JfrpClient client = closer.keep(JfrpClient.start(c));
        return Tunnels.awaitRunning(client, "plugged");
    }

    private static PluginConfig plugin(String type, String localAddr, String hostRewrite, Map<String, String> headers) {
        return new PluginConfig(type, localAddr, null, null, hostRewrite, headers, "");
    }

    private static Socket tls(int port) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        s.startHandshake();
        return s;
    }

    /** One HTTP/1.1 request with a body, and the whole answer (the service closes nothing: read by length). */
    private static String exchange(Socket s, String head, byte[] body) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write((head + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int length = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            all.write(b);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0 && length < 0) {
                int at = text.toLowerCase().indexOf("content-length: ");
                length = Integer.parseInt(text.substring(at + 16, text.indexOf("\r\n", at)).trim());
                all.write(in.readNBytes(length));
                break;
            }
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Test
    void https2httpEndsTheUsersTlsAndAddsTheirAddressToXForwardedFor() throws Exception {
        HttpServer http = headerEcho();
        JfrpServer server = closer.keep(Tunnels.server(dir));
        int port = proxyPort(server, plugin("https2http", "127.0.0.1:" + http.getAddress().getPort(), "", Map.of()), "");
        byte[] body = RandomBytes.of(2 * 1024 * 1024, 51);
        try (Socket s = tls(port)) {
            for (int i = 0; i < 2; i++) {
                // Twice on one connection: the plugin keeps it, and edits every request.
                String answer = exchange(s, "POST /up HTTP/1.1\r\nHost: example.com\r\nX-Forwarded-For: 2.2.2.2\r\n", body);
                assertThat(answer).startsWith("HTTP/1.1 200").contains("x-forwarded-for: 2.2.2.2, 127.0.0.1")
                        .contains("x-forwarded-proto: https").contains("host: example.com")
                        .contains("body-sha256: " + RandomBytes.sha256(body));
            }
        }
    }

    @Test
    void http2httpRewritesTheHostAndSetsHeaders() throws Exception {
        HttpServer http = headerEcho();
        JfrpServer server = closer.keep(Tunnels.server(dir));
        int port = proxyPort(server, plugin("http2http", "127.0.0.1:" + http.getAddress().getPort(), "rewrite.test.com",
                Map.of("x-from-where", "frp")), "");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            String answer = exchange(s, "GET / HTTP/1.1\r\nHost: original.example.com\r\n", new byte[0]);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("host: rewrite.test.com").contains("x-from-where: frp")
                    .doesNotContain("original.example.com");
        }
    }

    @Test
    void anUnreachableServiceIsA502NamingIt() throws Exception {
        JfrpServer server = closer.keep(Tunnels.server(dir));
        int nothing = closer.keep(io.jfrp.testing.Loopback.reservedPort()).getLocalPort();
        int port = proxyPort(server, plugin("http2http", "127.0.0.1:" + nothing, "", Map.of()), "");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            String answer = exchange(s, "GET / HTTP/1.1\r\nHost: x\r\n", new byte[0]);
            assertThat(answer).startsWith("HTTP/1.1 502").contains("127.0.0.1:" + nothing);
        }
    }

    @Test
    void tls2rawSendsThePlainBytesWithAProxyHeaderFirst() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = closer.keep(Tunnels.server(dir));
        int port = proxyPort(server, plugin("tls2raw", "127.0.0.1:" + echo.port(), "", Map.of()), "v2");
        byte[] data = RandomBytes.of(4 * 1024 * 1024, 52);
        try (Socket s = tls(port)) {
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.getOutputStream().flush();
                } catch (Exception ignored) {
                    // the reader fails the test
                }
            });
            writer.start();
            // The echo service sends back what it got: the PROXY v2 header the plugin wrote, then the data.
            byte[] signature = s.getInputStream().readNBytes(12);
            assertThat(signature).isEqualTo(new byte[]{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
            byte[] rest = s.getInputStream().readNBytes(4);
            int headerLeft = ((rest[2] & 0xff) << 8) | (rest[3] & 0xff);
            byte[] addresses = s.getInputStream().readNBytes(headerLeft);
            assertThat(InetAddress.getByAddress(java.util.Arrays.copyOfRange(addresses, 0, 4)).getHostAddress()).isEqualTo("127.0.0.1");
            byte[] back = s.getInputStream().readNBytes(data.length);
            writer.join(20_000);
            assertThat(RandomBytes.sha256(back)).isEqualTo(RandomBytes.sha256(data));
        }
    }

    @Test
    void unixDomainSocketIsTheService() throws Exception {
        Path sock = dir.resolve("echo.sock");
        ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        unix.bind(UnixDomainSocketAddress.of(sock));
        closer.keep(unix);
        Thread t = new Thread(() -> {
            try (SocketChannel c = unix.accept()) {
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                while (c.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        c.write(buf);
                    }
                    buf.clear();
                }
            } catch (Exception ignored) {
                // closed by the test
            }
        });
        t.setDaemon(true);
        t.start();
        JfrpServer server = closer.keep(Tunnels.server(dir));
        int port = proxyPort(server, new PluginConfig("unix_domain_socket", "", null, null, "", Map.of(), sock.toString()), "");
        byte[] data = RandomBytes.of(4 * 1024 * 1024, 53);
        assertThat(RandomBytes.sha256(io.jfrp.testing.Loopback.echo(port, data, 30))).isEqualTo(RandomBytes.sha256(data));
    }

    @Test
    void wssThroughAnHttps2httpPluginInFrontOfTheServer() throws Exception {
        // frp's own wss spec: one client's https2http plugin ends TLS before the server's bind port,
        // a second client reaches the server through it with protocol wss (the WebSocket upgrade passes).
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = closer.keep(Tunnels.server(dir));
        int front = proxyPort(server, plugin("https2http", "127.0.0.1:" + server.port(), "", Map.of()), "");
        ClientConfig viaWss = ClientConfig.defaults("127.0.0.1", front, Tunnels.TOKEN, List.of(Tunnels.tcp("echo", echo.port(), 0)))
                .withProtocol("wss");
        JfrpClient second = closer.keep(JfrpClient.start(viaWss));
        int remote = Tunnels.awaitRunning(second, "echo");
        byte[] data = RandomBytes.of(4 * 1024 * 1024, 54);
        assertThat(RandomBytes.sha256(io.jfrp.testing.Loopback.echo(remote, data, 60))).isEqualTo(RandomBytes.sha256(data));
    }
}
