package io.jfrp.e2e;

import io.jfrp.client.Diagnosis;
import io.jfrp.core.doctor.Check;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ClientTls;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import io.jfrp.testing.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What `jfrpc doctor` finds, case by case. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class DoctorTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    /**
     * A port that answers what it reads with {@code status} (an HTTP server, not a jfrps); each
     * connection on its own thread, since the port check connects first and sends nothing.
     */
    private static java.net.ServerSocket httpStub(String status) throws java.io.IOException {
        java.net.ServerSocket web = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!web.isClosed()) {
                try {
                    java.net.Socket s = web.accept();
                    Thread answer = new Thread(() -> {
                        try (s) {
                            if (s.getInputStream().read(new byte[4096]) > 0) {
                                s.getOutputStream().write((status + "\r\nContent-Length: 0\r\n\r\n")
                                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                                s.getOutputStream().flush();
                            }
                        } catch (java.io.IOException e) {
                            // the peer went
                        }
                    });
                    answer.setDaemon(true);
                    answer.start();
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return web;
    }

    private static Check check(List<Check> checks, String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aHealthySetupPassesEveryCheck() throws Exception {
        JfrpServer server = closer.keep(Tunnels.server(dir));
        EchoServer echo = closer.keep(new EchoServer());
        List<Check> checks = Diagnosis.run(Tunnels.clientConfig(server, Tunnels.tcp("e", echo.port(), 0)),
                Duration.ofSeconds(3));
        assertThat(checks).extracting(Check::name).containsExactly("server name", "server port", "server answer",
                "tls", "protocol", "login", "clock", "proxy e", "remote e", "descriptors", "route");
        assertThat(checks).allMatch(Check::ok);
        assertThat(check(checks, "tls").detail()).contains(server.certificateFingerprint()).contains("valid until");
        assertThat(check(checks, "tls").level()).as("an unpinned certificate is a warning").isEqualTo(Check.Level.WARN);
        assertThat(check(checks, "server answer").detail()).contains("a jfrps answers, protocol " + io.jfrp.protocol.Wire.VERSION_MAJOR);
        assertThat(check(checks, "clock").detail()).contains("ms").contains("this host's");
        assertThat(check(checks, "route").detail()).contains("from 127.0.0.1");
        // The probe's throwaway session is gone again.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.sessionCount() == 0);
    }

    @Test
    void aWebSocketClientIsCheckedOverItsWebSocket() throws Exception {
        JfrpServer server = closer.keep(Tunnels.server(dir));
        EchoServer echo = closer.keep(new EchoServer());
        List<Check> checks = Diagnosis.run(Tunnels.clientConfig(server, Tunnels.tcp("e", echo.port(), 0))
                .withProtocol("websocket"), Duration.ofSeconds(3));
        assertThat(checks).extracting(Check::name).containsExactly("server name", "server port", "transport",
                "tls", "protocol", "login", "clock", "proxy e", "remote e", "descriptors", "route");
        assertThat(checks).allMatch(Check::ok);
        assertThat(check(checks, "transport").detail()).startsWith("websocket to ");

        // A port that answers HTTP but is no jfrps: the upgrade's refusal is the finding.
        try (java.net.ServerSocket web = httpStub("HTTP/1.1 404 Not Found")) {
            List<Check> refused = Diagnosis.run(ClientConfig.defaults("127.0.0.1", web.getLocalPort(), "t",
                    List.of()).withProtocol("websocket"), Duration.ofSeconds(2));
            assertThat(check(refused, "transport").ok()).isFalse();
            assertThat(check(refused, "transport").detail()).contains("404");
            assertThat(refused).extracting(Check::name).doesNotContain("login");
        }
    }

    @Test
    void aDownServerAWrongTokenAWrongPinAndADeadServiceAreEachNamed() throws Exception {
        int nothing = closer.keep(Loopback.reservedPort()).getLocalPort();
        List<Check> down = Diagnosis.run(ClientConfig.defaults("127.0.0.1", nothing, "t", List.of()),
                Duration.ofSeconds(2));
        assertThat(check(down, "server port").ok()).isFalse();
        assertThat(check(down, "server port").detail()).contains("refused the connection");
        assertThat(check(down, "server port").hint()).contains("is jfrps running");

        JfrpServer server = closer.keep(Tunnels.server(dir));
        List<Check> token = Diagnosis.run(ClientConfig.defaults("127.0.0.1", server.port(), "wrong",
                List.of(Tunnels.tcp("dead", nothing, 0))), Duration.ofSeconds(2));
        assertThat(check(token, "login").ok()).isFalse();
        assertThat(check(token, "login").detail()).contains("auth.token does not match");
        assertThat(check(token, "proxy dead").ok()).isFalse();
        assertThat(check(token, "remote ports").level()).isEqualTo(Check.Level.WARN);

        List<Check> pin = Diagnosis.run(Tunnels.clientConfig(server)
                .withTls(new ClientTls(true, null, null, null, "", "00".repeat(32))), Duration.ofSeconds(2));
        assertThat(check(pin, "tls").ok()).isFalse();
        assertThat(check(pin, "tls").hint()).contains("pinned");
    }

    @Test
    void eachRemotePortIsAskedOfTheServerAndNothingIsOpened() throws Exception {
        int free = Tunnels.freePort();
        int forbidden = Tunnels.freePort();
        java.net.ServerSocket squatter = closer.keep(new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
        int taken = squatter.getLocalPort();
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir).withPorts(new io.jfrp.core.config.PortRanges(
                List.of(new int[]{free, free}, new int[]{taken, taken})), 0)));
        EchoServer echo = closer.keep(new EchoServer());
        List<Check> checks = Diagnosis.run(Tunnels.clientConfig(server, Tunnels.tcp("a", echo.port(), free),
                Tunnels.tcp("b", echo.port(), forbidden), Tunnels.tcp("c", echo.port(), taken)), Duration.ofSeconds(3));
        assertThat(check(checks, "remote a").level()).isEqualTo(Check.Level.PASS);
        assertThat(check(checks, "remote a").detail()).contains("tcp port " + free + " would be taken");
        assertThat(check(checks, "remote b").level()).isEqualTo(Check.Level.FAIL);
        assertThat(check(checks, "remote b").detail()).contains("port " + forbidden + " is not allowed");
        assertThat(check(checks, "remote c").level()).isEqualTo(Check.Level.FAIL);
        assertThat(check(checks, "remote c").detail()).contains("port " + taken + " is in use");
        assertThat(Tunnels.listening(free)).as("the doctor opened nothing").isFalse();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.sessionCount() == 0);
    }

    @Test
    void aPortThatIsNoJfrpsIsSaidSoAndNotBlamedOnTls() throws Exception {
        try (java.net.ServerSocket web = httpStub("HTTP/1.1 400 Bad Request")) {
            List<Check> checks = Diagnosis.run(ClientConfig.defaults("127.0.0.1", web.getLocalPort(), "t",
                    List.of()), Duration.ofSeconds(2));
            assertThat(check(checks, "server answer").level()).isEqualTo(Check.Level.FAIL);
            assertThat(check(checks, "server answer").detail()).contains("an HTTP server (HTTP/1.1 400 Bad Request)");
            assertThat(check(checks, "server answer").hint()).contains("bindPort");
            assertThat(checks).extracting(Check::name).doesNotContain("tls", "login");
        }
    }

    @Test
    void everyChannelIsAskedWhetherAJfrpsAnswersOnIt() throws Exception {
        JfrpServer server = closer.keep(Tunnels.server(dir));
        int dead = closer.keep(Loopback.reservedPort()).getLocalPort();
        ClientConfig c = Tunnels.clientConfig(server).withChannels(List.of(
                new io.jfrp.core.config.ChannelConfig("fibre", "127.0.0.1", server.port(), "tcp"),
                new io.jfrp.core.config.ChannelConfig("ws", "127.0.0.1", server.port(), "websocket"),
                new io.jfrp.core.config.ChannelConfig("lte", "127.0.0.1", dead, "tcp")), ClientConfig.FAIL_BACK_AFTER);
        List<Check> checks = Diagnosis.run(c, Duration.ofSeconds(2));
        assertThat(check(checks, "login").level()).isEqualTo(Check.Level.PASS);
        assertThat(check(checks, "channel ws").level()).isEqualTo(Check.Level.PASS);
        assertThat(check(checks, "channel ws").detail()).contains("websocket").contains("a jfrps answers");
        assertThat(check(checks, "channel lte").level()).isEqualTo(Check.Level.FAIL);
        assertThat(check(checks, "channel lte").hint()).contains("cannot fail over to it");
    }
}
