package io.jfrp.e2e;

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

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The plugins that are services of their own: http_proxy, socks5 and static_file. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class ProxyPluginTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    private int servers;

    private int start(PluginConfig plugin) throws Exception {
        JfrpServer server = closer.keep(Tunnels.server(dir.resolve("server-" + (servers++))));
        JfrpClient client = closer.keep(JfrpClient.start(Tunnels.clientConfig(server,
                new TcpProxyConfig("plugged", "127.0.0.1", 0, 0, ProxyLabels.NONE, "", plugin))));
        return Tunnels.awaitRunning(client, "plugged");
    }

    private static PluginConfig plugin(String type, String user, String password, Path localPath, String strip) {
        return new PluginConfig(type, "", null, null, "", Map.of(), "", user, password, localPath, strip);
    }

    private static Socket open(int port) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(20_000);
        return s;
    }

    /** The head of an HTTP answer, up to the blank line. */
    private static String head(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    private static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void httpProxyAsksForItsCredentialsThenTunnelsConnect() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        int port = start(plugin("http_proxy", "abc", "123", null, ""));
        try (Socket s = open(port)) {
            s.getOutputStream().write(("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 407").containsIgnoringCase("Proxy-Authenticate: Basic");
        }
        try (Socket s = open(port)) {
            s.getOutputStream().write(("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\nHost: x\r\nProxy-Authorization: Basic "
                    + basic("abc", "123") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 200");
            byte[] data = RandomBytes.of(1024 * 1024, 61);
            Thread w = new Thread(() -> {
                try {
                    s.getOutputStream().write(data);
                } catch (Exception ignored) {
                    // the reader fails the test
                }
            });
            w.start();
            byte[] back = s.getInputStream().readNBytes(data.length);
            w.join(20_000);
            assertThat(RandomBytes.sha256(back)).isEqualTo(RandomBytes.sha256(data));
        }
    }

    @Test
    void httpProxyPassesAnAbsoluteRequestToItsServer() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello through the proxy");
        // static_file as the origin: another plugin of the same client, reached through the first.
        int origin = start(plugin("static_file", "", "", dir, ""));
        int port = start(plugin("http_proxy", "", "", null, ""));
        try (Socket s = open(port)) {
            s.getOutputStream().write(("GET http://127.0.0.1:" + origin + "/hello.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("hello through the proxy");
        }
    }

    @Test
    void socks5WithAPasswordTunnelsToWhatTheUserNames() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        int port = start(plugin("socks5", "abc", "123", null, ""));
        try (Socket s = open(port)) {
            // Offering no authentication only: refused (0xFF).
            s.getOutputStream().write(new byte[]{5, 1, 0});
            assertThat(s.getInputStream().readNBytes(2)).containsExactly(5, 0xFF);
        }
        try (Socket s = open(port)) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(new byte[]{5, 1, 2});
            assertThat(in.readNBytes(2)).containsExactly(5, 2);
            out.write(new byte[]{1, 3, 'a', 'b', 'c', 3, '1', '2', '3'});
            assertThat(in.readNBytes(2)).containsExactly(1, 0);
            out.write(new byte[]{5, 1, 0, 1, 127, 0, 0, 1, (byte) (echo.port() >> 8), (byte) echo.port()});
            byte[] reply = in.readNBytes(10);
            assertThat(reply[1]).isEqualTo((byte) 0);
            byte[] data = RandomBytes.of(512 * 1024, 62);
            Thread w = new Thread(() -> {
                try {
                    out.write(data);
                } catch (Exception ignored) {
                    // the reader fails the test
                }
            });
            w.start();
            byte[] back = in.readNBytes(data.length);
            w.join(20_000);
            assertThat(RandomBytes.sha256(back)).isEqualTo(RandomBytes.sha256(data));
        }
    }

    @Test
    void staticFileServesItsDirectoryUnderThePrefixAndNothingOutside() throws Exception {
        Path files = Files.createDirectories(dir.resolve("www"));
        byte[] big = RandomBytes.of(3 * 1024 * 1024, 63);
        Files.write(files.resolve("big.bin"), big);
        Files.writeString(dir.resolve("secret.txt"), "outside");
        int port = start(plugin("static_file", "abc", "123", files, "static"));
        String auth = "Authorization: Basic " + basic("abc", "123") + "\r\n";
        try (Socket s = open(port)) {
            s.getOutputStream().write("GET /static/big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 401");
        }
        try (Socket s = open(port)) {
            s.getOutputStream().write(("GET /static/big.bin HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 200").contains("content-length: " + big.length);
            assertThat(RandomBytes.sha256(s.getInputStream().readNBytes(big.length))).isEqualTo(RandomBytes.sha256(big));
            // The same connection goes on: a second request, outside the directory, is a 404.
            s.getOutputStream().write(("GET /static/%2e%2e/secret.txt HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 404");
        }
        try (Socket s = open(port)) {
            s.getOutputStream().write(("GET /static/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200")
                    .contains("<a href=\"big.bin\">big.bin</a>");
        }
    }
}
