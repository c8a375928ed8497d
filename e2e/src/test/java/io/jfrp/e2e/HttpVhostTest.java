package io.jfrp.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.DomainRouting;
import io.jfrp.core.config.HttpProxyConfig;
import io.jfrp.core.config.ProxyLabels;
import io.jfrp.core.config.VhostSettings;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** http proxies on the vhost HTTP port: routing, edits, auth, bodies both ways, upgrades, and failures answered. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class HttpVhostTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    /** A local web service (the JDK's): each path answers with its own handler. */
    private HttpServer service(Map<String, com.sun.net.httpserver.HttpHandler> handlers) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        handlers.forEach(s::createContext);
        s.start();
        closer.keep(() -> s.stop(0));
        return s;
    }

    private static com.sun.net.httpserver.HttpHandler says(String text) {
        return x -> answer(x, 200, text);
    }

    private static void answer(HttpExchange x, int status, String text) throws IOException {
        x.getRequestBody().readAllBytes();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    private static HttpProxyConfig http(String name, HttpServer s, DomainRouting routing) {
        return new HttpProxyConfig(name, "127.0.0.1", s.getAddress().getPort(), routing);
    }

    private JfrpServer server(Duration timeout) throws Exception {
        return closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)
                .withVhost(new VhostSettings(0, false, "sub.test").withHttp(VhostSettings.ANY_PORT, timeout)
                        .withServiceErrorStatus(502))));
    }

    private static JfrpClient running(JfrpClient c, String... names) {
        for (String n : names) {
            Tunnels.awaitRunning(c, n);
        }
        return c;
    }

    @Test
    void requestsOfOneKeepAliveConnectionAreRoutedEachByHostPathAndName() throws Exception {
        JfrpServer server = server(Duration.ofSeconds(60));
        HttpServer a = service(Map.of("/", says("a-root"), "/api", says("a-api")));
        HttpServer api = service(Map.of("/", says("api-service")));
        HttpServer wild = service(Map.of("/", says("wildcard")));
        HttpServer sub = service(Map.of("/", says("subdomain")));
        closer.keep(running(Tunnels.client(server,
                http("a", a, DomainRouting.of(List.of("a.example.com"), "")),
                http("api", api, DomainRouting.of(List.of("a.example.com"), "").withLocations(List.of("/api/v2"))),
                http("wild", wild, DomainRouting.of(List.of("*.wild.example.com"), "")),
                http("sub", sub, DomainRouting.of(List.of(), "blog"))), "a", "api", "wild", "sub"));
        try (RawHttp user = new RawHttp(server.vhostHttpPort())) {
            String[][] cases = {
                    {"a.example.com", "/", "a-root"},
                    {"A.Example.COM:8080", "/api/v1", "a-api"},
                    {"a.example.com", "/api/v2/items?x=1", "api-service"},
                    {"x.y.wild.example.com", "/", "wildcard"},
                    {"blog.sub.test", "/", "subdomain"},
                    {"a.example.com", "/", "a-root"}};
            for (String[] c : cases) {
                RawHttp.Response r = user.send(RawHttp.get(c[0], c[1])).read();
                assertThat(r.status()).as(c[0] + c[1]).isEqualTo(200);
                assertThat(r.text()).as(c[0] + c[1]).isEqualTo(c[2]);
            }
            RawHttp.Response missing = user.send(RawHttp.get("wild.example.com", "/")).read();
            assertThat(missing.status()).as("*.wild.example.com does not take wild.example.com itself").isEqualTo(404);
            assertThat(missing.text()).contains("not found");
            // Two requests in one write (pipelined): answered in order, each by its own proxy.
            user.send(RawHttp.get("blog.sub.test", "/") + RawHttp.get("a.example.com", "/api"));
            assertThat(user.read().text()).isEqualTo("subdomain");
            assertThat(user.read().text()).isEqualTo("a-api");
        }
    }

    @Test
    void theServiceSeesWhoAskedAndTheEditsOfItsProxy() throws Exception {
        JfrpServer server = server(Duration.ofSeconds(60));
        AtomicReference<com.sun.net.httpserver.Headers> seen = new AtomicReference<>();
        HttpServer s = service(Map.of("/", x -> {
            seen.set(x.getRequestHeaders());
            x.getResponseHeaders().set("X-Backend", "kept");
            x.getResponseHeaders().set("X-Frame", "from-service");
            answer(x, 200, "ok");
        }));
        closer.keep(running(Tunnels.client(server, new HttpProxyConfig("edit", "127.0.0.1", s.getAddress().getPort(),
                DomainRouting.of(List.of("edit.example.com"), ""), "inside.local", Map.of("X-From-Where", "jfrp"),
                Map.of("X-Frame", "DENY"), ProxyLabels.NONE, "")), "edit"));
        try (RawHttp user = new RawHttp(server.vhostHttpPort())) {
            RawHttp.Response r = user.send(RawHttp.get("edit.example.com", "/", "X-Forwarded-For: 2.2.2.2",
                    "X-Real-IP: 6.6.6.6", "Connection: keep-alive, X-Secret", "X-Secret: hop", "Proxy-Authorization: Basic eDp5")).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Backend")).isEqualTo("kept");
            assertThat(r.header("X-Frame")).isEqualTo("DENY");
        }
        com.sun.net.httpserver.Headers h = seen.get();
        assertThat(h.getFirst("X-Forwarded-For")).isEqualTo("2.2.2.2, 127.0.0.1");
        assertThat(h.getFirst("X-Real-IP")).as("set by the server, not the user").isEqualTo("127.0.0.1");
        assertThat(h.getFirst("Host")).isEqualTo("inside.local");
        assertThat(h.getFirst("X-Forwarded-Host")).isEqualTo("edit.example.com");
        assertThat(h.getFirst("X-From-Where")).isEqualTo("jfrp");
        assertThat(h.containsKey("X-Secret")).as("named by Connection: this hop's only").isFalse();
        assertThat(h.containsKey("Proxy-Authorization")).isFalse();
        // A Connection header that names Content-Length must not strip it: the body would become a request.
        try (RawHttp user = new RawHttp(server.vhostHttpPort())) {
            String inner = "GET /smuggled HTTP/1.1\r\nHost: edit\r\n\r\n";
            user.send("POST / HTTP/1.1\r\nHost: edit.example.com\r\nConnection: Content-Length\r\n"
                    + "Content-Length: " + inner.length() + "\r\n\r\n" + inner);
            assertThat(user.read().status()).isEqualTo(200);
        }
        assertThat(seen.get().getFirst("Content-Length")).isEqualTo("38");
    }

    private static String basic(String header, String user, String password) {
        return header + ": Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void credentialsAreCheckedAndRouteByUser() throws Exception {
        JfrpServer server = server(Duration.ofSeconds(60));
        HttpServer guarded = service(Map.of("/", says("private")));
        HttpServer forAlice = service(Map.of("/", says("alice's")));
        HttpServer others = service(Map.of("/", says("everyone's")));
        closer.keep(running(Tunnels.client(server,
                http("guarded", guarded, DomainRouting.of(List.of("g.example.com"), "").withCredentials("u", "p")),
                http("alice", forAlice, DomainRouting.of(List.of("r.example.com"), "").routedByUser("alice")),
                http("others", others, DomainRouting.of(List.of("r.example.com"), ""))), "guarded", "alice", "others"));
        try (RawHttp user = new RawHttp(server.vhostHttpPort())) {
            RawHttp.Response none = user.send(RawHttp.get("g.example.com", "/")).read();
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.header("WWW-Authenticate")).startsWith("Basic");
            assertThat(user.send(RawHttp.get("g.example.com", "/", basic("Authorization", "u", "wrong"))).read().status())
                    .isEqualTo(401);
            assertThat(user.send(RawHttp.get("g.example.com", "/", basic("Authorization", "u", "p"))).read().text())
                    .isEqualTo("private");
            assertThat(user.send(RawHttp.get("r.example.com", "/", basic("Authorization", "alice", ""))).read().text())
                    .isEqualTo("alice's");
            assertThat(user.send(RawHttp.get("r.example.com", "/", basic("Authorization", "bob", ""))).read().text())
                    .isEqualTo("everyone's");
            // Proxy form: the user's proxy credentials count, and a refusal is 407.
            RawHttp.Response proxy = user.send("GET http://g.example.com/ HTTP/1.1\r\nHost: g.example.com\r\n"
                    + basic("Authorization", "u", "p") + "\r\n\r\n").read();
            assertThat(proxy.status()).isEqualTo(407);
            assertThat(user.send("GET http://g.example.com/ HTTP/1.1\r\nHost: g.example.com\r\n"
                    + basic("Proxy-Authorization", "u", "p") + "\r\n\r\n").read().text()).isEqualTo("private");
        }
    }

    @Test
    void largeBodiesPassBothWaysIntact() throws Exception {
        JfrpServer server = server(Duration.ofSeconds(60));
        // Echoes the request body back, chunked (length unknown in advance), after reading all of it.
        HttpServer echo = service(Map.of("/echo", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(200, 0);
            try (OutputStream o = x.getResponseBody()) {
                for (int i = 0; i < body.length; i += 7919) {
                    o.write(body, i, Math.min(7919, body.length - i));
                }
            }
        }));
        closer.keep(running(Tunnels.client(server, http("echo", echo, DomainRouting.of(List.of("e.example.com"), ""))), "echo"));
        byte[] data = RandomBytes.of(3 * 1024 * 1024 + 17, 42);
        try (RawHttp user = new RawHttp(server.vhostHttpPort())) {
            for (int round = 0; round < 2; round++) {
                user.send("POST /echo HTTP/1.1\r\nHost: e.example.com\r\nContent-Length: " + data.length + "\r\n\r\n");
                CompletableFuture<RawHttp.Response> answer = CompletableFuture.supplyAsync(() -> {
                    try {
                        return user.read();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                user.send(data);
                RawHttp.Response r = answer.get(30, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
                assertThat(RandomBytes.sha256(r.body())).isEqualTo(RandomBytes.sha256(data));
            }
        }
    }

    @Test
    void anUpgradeTurnsTheConnectionIntoATunnel() throws Exception {
        JfrpServer server = server(Duration.ofSeconds(60));
        // A raw service: answers the upgrade with 101, then echoes every byte.
        ServerSocket raw = closer.keep(new ServerSocket(0, 8, InetAddress.getLoopbackAddress()));
        CompletableFuture.runAsync(() -> {
            try (Socket s = raw.accept()) {
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.read());
                }
                s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                in.transferTo(s.getOutputStream());
            } catch (IOException ignored) {
                // the test's assertions say what went wrong
            }
        });
        closer.keep(running(Tunnels.client(server, new HttpProxyConfig("ws", "127.0.0.1", raw.getLocalPort(),
                DomainRouting.of(List.of("ws.example.com"), ""))), "ws"));
        byte[] data = RandomBytes.of(512 * 1024, 7);
        try (RawHttp user = new RawHttp(server.vhostHttpPort())) {
            user.send("GET /chat HTTP/1.1\r\nHost: ws.example.com\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
            RawHttp.Response r = user.read();
            assertThat(r.status()).isEqualTo(101);
            CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                try {
                    return user.socket.getInputStream().readNBytes(data.length);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            user.send(data);
            assertThat(RandomBytes.sha256(back.get(30, TimeUnit.SECONDS))).isEqualTo(RandomBytes.sha256(data));
        }
    }

    @Test
    void failuresAreAnsweredAndNeverLookLikeACompleteAnswer() throws Exception {
        JfrpServer server = server(Duration.ofSeconds(1));
        HttpServer slow = service(Map.of("/", x -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(x, 200, "late");
        }));
        // A service that promises 100,000 bytes and sends 1,000.
        ServerSocket cut = closer.keep(new ServerSocket(0, 8, InetAddress.getLoopbackAddress()));
        CompletableFuture.runAsync(() -> {
            try (Socket s = cut.accept()) {
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.read());
                }
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(new byte[1000]);
            } catch (IOException ignored) {
                // the test's assertions say what went wrong
            }
        });
        int nothingThere;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nothingThere = free.getLocalPort();
        }
        closer.keep(running(Tunnels.client(server,
                http("slow", slow, DomainRouting.of(List.of("slow.example.com"), "")),
                new HttpProxyConfig("cut", "127.0.0.1", cut.getLocalPort(), DomainRouting.of(List.of("cut.example.com"), "")),
                new HttpProxyConfig("down", "127.0.0.1", nothingThere, DomainRouting.of(List.of("down.example.com"), ""))),
                "slow", "cut", "down"));
        int port = server.vhostHttpPort();
        try (RawHttp user = new RawHttp(port)) {
            assertThat(user.send(RawHttp.get("slow.example.com", "/")).read().status()).isEqualTo(504);
        }
        try (RawHttp user = new RawHttp(port)) {
            assertThat(user.send(RawHttp.get("down.example.com", "/")).read().status()).isEqualTo(502);
        }
        try (RawHttp user = new RawHttp(port)) {
            user.send(RawHttp.get("cut.example.com", "/"));
            // The user's connection is reset: a cut answer must not pass for a complete one.
            org.assertj.core.api.Assertions.assertThatThrownBy(user::read).hasMessageContaining("reset");
        }
        String[][] bad = {
                {"NOT HTTP AT ALL\r\n\r\n", "400"},
                {"GET /" + "x".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n", "414"},
                {"GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "y".repeat(70_000) + "\r\n\r\n", "431"}};
        for (String[] b : bad) {
            try (RawHttp user = new RawHttp(port)) {
                RawHttp.Response r = user.send(b[0]).read();
                assertThat(String.valueOf(r.status())).as(b[0].substring(0, 12)).isEqualTo(b[1]);
                assertThat(user.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void aUsersRequestsToOneProxyShareOneServiceConnectionAndAClosedOneIsRetried() throws Exception {
        JfrpServer server = server(Duration.ofSeconds(60));
        java.util.Set<Integer> peers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        HttpServer s = service(Map.of("/", x -> {
            peers.add(x.getRemoteAddress().getPort());
            answer(x, 200, "hello");
        }));
        // A service whose first connection answers once, then takes the next request and closes unanswered:
        // a keep-alive connection the service dropped just as a request went out.
        ServerSocket flaky = closer.keep(new ServerSocket(0, 8, InetAddress.getLoopbackAddress()));
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture.runAsync(() -> {
            try {
                for (int n = 0; n < 2; n++) {
                    Socket c = flaky.accept();
                    accepted.incrementAndGet();
                    InputStream in = c.getInputStream();
                    readHead(in);
                    c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst".getBytes(StandardCharsets.US_ASCII));
                    if (n == 0) {
                        readHead(in);
                        c.close();
                    }
                }
            } catch (IOException ignored) {
                // the test's assertions say what went wrong
            }
        });
        closer.keep(running(Tunnels.client(server, http("keep", s, DomainRouting.of(List.of("k.example.com"), "")),
                new HttpProxyConfig("flaky", "127.0.0.1", flaky.getLocalPort(), DomainRouting.of(List.of("f.example.com"), ""))),
                "keep", "flaky"));
        try (RawHttp user = new RawHttp(server.vhostHttpPort())) {
            for (int i = 0; i < 5; i++) {
                assertThat(user.send(RawHttp.get("k.example.com", "/")).read().text()).isEqualTo("hello");
            }
            assertThat(peers).as("five requests, one connection from the client to the service").hasSize(1);
            assertThat(user.send(RawHttp.get("f.example.com", "/")).read().text()).isEqualTo("first");
            assertThat(user.send(RawHttp.get("f.example.com", "/")).read().text())
                    .as("sent again on a new connection").isEqualTo("first");
            assertThat(accepted.get()).isEqualTo(2);
            assertThat(user.send(RawHttp.get("k.example.com", "/")).read().text()).isEqualTo("hello");
        }
    }

    private static void readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed in a request head");
            }
            head.append((char) c);
        }
    }
}
