package io.jfrp.e2e;

import com.sun.net.httpserver.HttpServer;
import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.DomainRouting;
import io.jfrp.core.config.HttpProxyConfig;
import io.jfrp.core.config.VhostSettings;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.FaultRelay;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The vhost HTTP port under slow users, a lost client channel, and a service that is not there. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class HttpVhostEdgesTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    private int service(String text) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        s.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        s.start();
        closer.keep(() -> s.stop(0));
        return s.getAddress().getPort();
    }

    private JfrpServer server() throws Exception {
        return closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)
                .withVhost(VhostSettings.NONE.withHttp(VhostSettings.ANY_PORT, Duration.ofSeconds(10)))));
    }

    @Test
    void slowUsersCostOnlyThemselves() throws Exception {
        JfrpServer server = server();
        JfrpClient client = closer.keep(Tunnels.client(server, new HttpProxyConfig("web", "127.0.0.1", service("served"),
                DomainRouting.of(List.of("w.example.com"), ""))));
        Tunnels.awaitRunning(client, "web");
        int port = server.vhostHttpPort();
        // 300 users that send a request head a few bytes at a time and never finish it.
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Socket s = closer.keep(new Socket(InetAddress.getLoopbackAddress(), port));
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: w.exa".getBytes(StandardCharsets.US_ASCII));
            slow.add(s);
        }
        for (int round = 0; round < 3; round++) {
            for (Socket s : slow) {
                s.getOutputStream().write('m');
            }
            try (RawHttp user = new RawHttp(port)) {
                RawHttp.Response r = user.send(RawHttp.get("w.example.com", "/")).read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.text()).isEqualTo("served");
            }
        }
    }

    @Test
    void aRequestWhileTheClientIsAwayIsHeldAndAnsweredWhenItIsBack() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)
                .withHeartbeatTimeout(Duration.ofSeconds(3))
                .withVhost(VhostSettings.NONE.withHttp(VhostSettings.ANY_PORT, Duration.ofSeconds(10)))));
        FaultRelay relay = closer.keep(new FaultRelay(server.port()));
        JfrpClient client = closer.keep(JfrpClient.start(ClientConfig.defaults("127.0.0.1", relay.port(), Tunnels.TOKEN,
                        List.of(new HttpProxyConfig("web", "127.0.0.1", service("still here"),
                                DomainRouting.of(List.of("w.example.com"), ""))))
                .withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .withStateFile(dir.resolve("frpc.toml.state"))));
        Tunnels.awaitRunning(client, "web");
        int port = server.vhostHttpPort();
        try (RawHttp user = new RawHttp(port)) {
            assertThat(user.send(RawHttp.get("w.example.com", "/")).read().text()).isEqualTo("still here");
        }
        // The link goes silent and the client cannot come back yet: the server notices and keeps the session.
        relay.mode(FaultRelay.Mode.REFUSE);
        relay.freezeExisting();
        await().atMost(Duration.ofSeconds(8)).until(() -> server.connectedCount() == 0);
        assertThat(server.sessionCount()).isEqualTo(1);
        RawHttp user = closer.keep(new RawHttp(port));
        user.send(RawHttp.get("w.example.com", "/"));
        CompletableFuture<RawHttp.Response> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return user.read();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        relay.mode(FaultRelay.Mode.PASS);
        RawHttp.Response r = answer.get(15, TimeUnit.SECONDS);
        assertThat(r.status()).as("held until the client was back, then served").isEqualTo(200);
        assertThat(r.text()).isEqualTo("still here");
        assertThat(server.sessionCount()).as("the same session, resumed").isEqualTo(1);
    }

    @Test
    void aServiceThatIsNotThereGetsFrpsNotFoundPageByDefault() throws Exception {
        JfrpServer server = server();
        int nothingThere;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nothingThere = free.getLocalPort();
        }
        JfrpClient client = closer.keep(Tunnels.client(server, new HttpProxyConfig("down", "127.0.0.1", nothingThere,
                DomainRouting.of(List.of("down.example.com"), ""))));
        Tunnels.awaitRunning(client, "down");
        try (RawHttp user = new RawHttp(server.vhostHttpPort())) {
            RawHttp.Response r = user.send(RawHttp.get("down.example.com", "/")).read();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.text()).contains("not found");
        }
    }
}
