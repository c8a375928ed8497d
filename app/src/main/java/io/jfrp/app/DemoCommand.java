package io.jfrp.app;

import com.sun.net.httpserver.HttpServer;
import io.jfrp.client.ClientStatus;
import io.jfrp.client.JfrpClient;
import io.jfrp.client.ProxyState;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.config.TcpProxyConfig;
import io.jfrp.core.config.ServerConfig;
import io.jfrp.server.JfrpServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jfrp demo}: a server, a client and a small web page on free loopback ports, the page
 * tunnelled through TLS, serving until Ctrl-C. Shows the whole path with no config to write.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "Run a server, a client and a built-in web page on loopback, tunnelled, until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--check", description = "Fetch the page once through the tunnel, report and exit "
            + "(0 when it answered): a smoke test of this machine.")
    boolean check;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        web.createContext("/", exchange -> {
            byte[] body = ("<!doctype html><title>jfrp demo</title><h1>Hello through jfrp</h1>"
                    + "<p>This page is served on 127.0.0.1:" + web.getAddress().getPort()
                    + " and reached you through a jfrp tunnel at " + Instant.now() + ".</p>\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        web.start();

        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Path data = Files.createTempDirectory("jfrp-demo-");
        JfrpServer server = JfrpServer.start(ServerConfig.defaults().withBind("127.0.0.1", 0)
                .withAuthToken(token).withDataDir(data));
        ProxyConfig proxy = new TcpProxyConfig("demo-web", "127.0.0.1", web.getAddress().getPort(), 0);
        JfrpClient client = JfrpClient.start(ClientConfig.defaults("127.0.0.1", server.port(), token, List.of(proxy)));

        long deadline = System.nanoTime() + 30_000_000_000L;
        ClientStatus.Proxy p = client.status().proxy("demo-web");
        while (p.state() != ProxyState.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling a status snapshot, bounded by the deadline above
            p = client.status().proxy("demo-web");
        }
        if (p.state() != ProxyState.RUNNING) {
            spec.commandLine().getErr().println("demo: the tunnel did not come up: " + client.status().lastError());
            client.close();
            server.close();
            web.stop(0);
            return 1;
        }
        if (check) {
            String problem = fetchOnce(p.remotePort());
            client.close();
            server.close();
            web.stop(0);
            deleteTree(data);
            if (problem != null) {
                spec.commandLine().getErr().println("demo: " + problem);
                return 1;
            }
            out.printf("demo: the page answered 200 through the tunnel on port %d%n", p.remotePort());
            out.flush();
            return 0;
        }
        out.printf("%n  jfrp demo is running. Open: http://127.0.0.1:%d/%n%n", p.remotePort());
        out.printf("  What just happened:%n");
        out.printf("   - a web page is served on 127.0.0.1:%d (the \"service behind NAT\")%n", web.getAddress().getPort());
        out.printf("   - jfrps listens on 127.0.0.1:%d; its self-signed TLS certificate is %s%n", server.port(),
                server.certificateFingerprint());
        out.printf("   - jfrpc logged in over TLS with a random token and asked for a public port for proxy demo-web%n");
        out.printf("   - the server opened port %d; each connection to it is a stream to the page%n%n", p.remotePort());
        out.printf("  To run it for real, write frps.toml and frpc.toml (frp's keys work unchanged):%n");
        out.printf("    frps.toml:  bindPort = 7000%n               auth.token = \"change-me\"%n");
        out.printf("    frpc.toml:  serverAddr = \"your.server\"%n               serverPort = 7000%n");
        out.printf("               auth.token = \"change-me\"%n");
        out.printf("               [[proxies]]%n               name = \"web\"%n               type = \"tcp\"%n");
        out.printf("               localPort = 8080%n               remotePort = 6000%n");
        out.printf("  then: bin/jfrps -c frps.toml   and   bin/jfrpc -c frpc.toml   (docs/configuration.md)%n%n");
        out.printf("  Ctrl-C stops the demo.%n");
        out.flush();
        Daemon.runUntilStopped(() -> {
            client.close();
            server.close();
            web.stop(0);
            deleteTree(data);
        });
        return 0;
    }

    /** @return null when the page came back with 200 and its heading, else what went wrong */
    private static String fetchOnce(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return response.startsWith("HTTP/1.1 200") && response.contains("Hello through jfrp") ? null
                    : "the page did not come back through the tunnel: "
                    + response.substring(0, Math.min(200, response.length()));
        } catch (IOException e) {
            return "the page did not come back through the tunnel on port " + port + ": " + e.getMessage();
        }
    }

    /** The demo's data directory holds only its throw-away certificate. */
    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
