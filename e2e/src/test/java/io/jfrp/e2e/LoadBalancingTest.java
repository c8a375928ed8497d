package io.jfrp.e2e;

import io.jfrp.client.ClientStatus;
import io.jfrp.client.JfrpClient;
import io.jfrp.client.ProxyState;
import io.jfrp.core.config.DomainRouting;
import io.jfrp.core.config.HealthCheck;
import io.jfrp.core.config.HttpProxyConfig;
import io.jfrp.core.config.ProxyBalancing;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.config.ProxyLabels;
import io.jfrp.core.config.TcpProxyConfig;
import io.jfrp.core.config.VhostSettings;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * frp's load-balancing groups with health checks: members on different clients share one public port
 * (or one domain) and take users in turn; a member whose service fails its check is withdrawn, the
 * others take every user, and it comes back when the service does. A wrong key or port is refused.
 */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class LoadBalancingTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    /** A service that answers every connection with its name and closes it. */
    private static final class NamedService implements AutoCloseable {
        private final String name;
        private final ServerSocket socket;

        NamedService(String name, int port) throws IOException {
            this.name = name;
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            Thread t = new Thread(this::serve, "named-" + name);
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.getOutputStream().write(name.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // closed, or a check that connected and left: next
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String ask(int port) {
        try (Socket s = new Socket()) {
            s.setSoTimeout(5000);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "error: " + e.getMessage();
        }
    }

    private static List<String> ask(int port, int times) {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            got.add(ask(port));
        }
        return got;
    }

    private static ProxyBalancing group(String key, boolean checked) {
        return new ProxyBalancing("g", key, checked ? new HealthCheck(HealthCheck.Kind.TCP, "", Duration.ofSeconds(1),
                Duration.ofSeconds(1), 1, Map.of()) : null);
    }

    private static ProxyConfig member(String name, int localPort, int remotePort, ProxyBalancing b) {
        return new TcpProxyConfig(name, "127.0.0.1", localPort, remotePort, ProxyLabels.NONE, "", null, b);
    }

    private static ProxyState state(JfrpClient c, String name) {
        ClientStatus.Proxy p = c.status().proxy(name);
        return p == null ? null : p.state();
    }

    @Test
    void membersOnTwoClientsShareAPortAndAFailingServiceIsWithdrawnUntilItAnswers() throws Exception {
        JfrpServer server = closer.keep(Tunnels.server(dir));
        NamedService foo = closer.keep(new NamedService("foo", 0));
        NamedService bar = new NamedService("bar", 0);
        int barPort = bar.port();
        int port = Tunnels.freePort();
        JfrpClient a = closer.keep(Tunnels.client(server, member("foo", foo.port(), port, group("k", true))));
        JfrpClient b = closer.keep(Tunnels.client(server, member("bar", barPort, port, group("k", true))));
        assertThat(Tunnels.awaitRunning(a, "foo")).isEqualTo(port);
        assertThat(Tunnels.awaitRunning(b, "bar")).isEqualTo(port);
        assertThat(ask(port, 6)).containsOnly("foo", "bar").contains("foo", "bar");

        bar.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> state(b, "bar") == ProxyState.CHECK_FAILED);
        assertThat(b.status().proxy("bar").lastError()).contains("health check failed");
        // The server has been told by the time the client says so; its withdrawal is in the same stream of frames.
        await().atMost(Duration.ofSeconds(5)).until(() -> ask(port, 6).stream().allMatch("foo"::equals));
        assertThat(ask(port, 10)).containsOnly("foo");

        bar = closer.keep(new NamedService("bar", barPort));
        await().atMost(Duration.ofSeconds(10)).until(() -> state(b, "bar") == ProxyState.RUNNING);
        assertThat(ask(port, 6)).containsOnly("foo", "bar").contains("foo", "bar");
    }

    @Test
    void aWrongKeyOrPortIsRefusedAndTheGroupKeepsServing() throws Exception {
        JfrpServer server = closer.keep(Tunnels.server(dir));
        NamedService foo = closer.keep(new NamedService("foo", 0));
        int port = Tunnels.freePort();
        JfrpClient a = closer.keep(Tunnels.client(server, member("foo", foo.port(), port, group("k", false))));
        Tunnels.awaitRunning(a, "foo");
        JfrpClient eve = closer.keep(Tunnels.client(server, member("eve", foo.port(), port, group("guess", false)),
                member("far", foo.port(), Tunnels.freePort(), group("k", false))));
        assertThat(Tunnels.awaitSettled(eve, "eve").lastError()).contains("load-balancing group g has another groupKey");
        assertThat(Tunnels.awaitSettled(eve, "far").lastError()).contains("every member must ask for the same remotePort");
        assertThat(ask(port, 3)).containsOnly("foo");
        a.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !Tunnels.listening(port));
    }

    @Test
    void httpMembersShareADomainAndTakeRequestsInTurn() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)
                .withVhost(new VhostSettings(0, false, "").withHttp(VhostSettings.ANY_PORT, Duration.ofSeconds(60)))));
        List<ProxyConfig> proxies = new ArrayList<>();
        for (String name : List.of("foo", "bar")) {
            com.sun.net.httpserver.HttpServer s = com.sun.net.httpserver.HttpServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            s.createContext("/", x -> {
                byte[] body = name.getBytes(StandardCharsets.US_ASCII);
                x.sendResponseHeaders(200, body.length);
                x.getResponseBody().write(body);
                x.close();
            });
            s.start();
            closer.keep(() -> s.stop(0));
            proxies.add(new HttpProxyConfig(name, "127.0.0.1", s.getAddress().getPort(),
                    DomainRouting.of(List.of("example.com"), ""), "", Map.of(), Map.of(), ProxyLabels.NONE, "", null,
                    group("k", false)));
        }
        JfrpClient c = closer.keep(Tunnels.client(server, proxies.toArray(ProxyConfig[]::new)));
        Tunnels.awaitRunning(c, "foo");
        Tunnels.awaitRunning(c, "bar");
        List<String> got = new ArrayList<>();
        // One keep-alive connection: each request is routed on its own.
        try (RawHttp user = new RawHttp(server.vhostHttpPort())) {
            for (int i = 0; i < 6; i++) {
                got.add(user.send(RawHttp.get("example.com", "/")).read().text());
            }
        }
        assertThat(got).containsOnly("foo", "bar").contains("foo", "bar");
    }
}
