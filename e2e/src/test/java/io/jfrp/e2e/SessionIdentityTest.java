package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.Message;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A runId is an identifier, not a secret: knowing one (and the token) neither resumes nor closes that session. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class SessionIdentityTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    private static Message login(int port, String runId, String user, int heartbeatMillis, byte[] resumeProof)
            throws Exception {
        return RawLogin.login(port, null, Tunnels.TOKEN, runId, user, heartbeatMillis, resumeProof);
    }

    @Test
    void aStolenRunIdNeitherResumesNorClosesTheSession() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir).withTls(
                new io.jfrp.core.config.ServerTls(false, null, null, null))));
        EchoServer echo = closer.keep(new EchoServer());
        JfrpClient victim = closer.keep(JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("v", echo.port(), 0))
                .withStateFile(dir.resolve("victim.toml.state"))));
        int port = Tunnels.awaitRunning(victim, "v");
        String runId = victim.runId();

        Message same = login(server.port(), runId, "", 30_000, new byte[0]);
        assertThat(same).isInstanceOf(Message.LoginFail.class);
        assertThat(((Message.LoginFail) same).code()).isEqualTo(ErrorCode.SESSION_NOT_YOURS);
        Message otherUser = login(server.port(), runId, "mallory", 30_000, new byte[0]);
        assertThat(((Message.LoginFail) otherUser).code()).as("another user does not close it either")
                .isEqualTo(ErrorCode.SESSION_NOT_YOURS);
        Message guessed = login(server.port(), runId, "", 30_000, new byte[32]);
        assertThat(((Message.LoginFail) guessed).code()).isEqualTo(ErrorCode.SESSION_NOT_YOURS);

        assertThat(Tunnels.echoes(port)).as("the victim's tunnel still works").isTrue();
        assertThat(server.sessionCount()).isEqualTo(1);
        assertThat(server.connectedCount()).isEqualTo(1);
        assertThat(victim.status().reconnects()).isZero();
        assertThat(java.nio.file.Files.readString(dir.resolve("victim.toml.state")))
                .as("the secret is kept for a restart").contains("sessionSecret=" + runId + ":");
    }

    @Test
    void aClientDoesNotSetHowLongTheServerWaitsForIt() throws Exception {
        JfrpServer server = closer.keep(Tunnels.server(dir));
        Message m = login(server.port(), "fresh-run", "", Integer.MAX_VALUE, new byte[0]);
        assertThat(m).isInstanceOf(Message.LoginFail.class);
        assertThat(((Message.LoginFail) m).reason()).contains("outside this server's limit");
        assertThat(server.sessionCount()).isZero();
    }

    @Test
    void guessingTheTokenFromOneAddressIsSlowedWhileAGoodClientElsewhereGetsIn() throws Exception {
        JfrpServer server = closer.keep(Tunnels.server(dir));
        InetAddress guesser = InetAddress.getByName("127.0.0.2");
        java.util.concurrent.atomic.AtomicInteger checked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger unchecked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        long until = System.nanoTime() + java.time.Duration.ofSeconds(8).toNanos();
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 16; t++) {
            Thread th = new Thread(() -> {
                while (System.nanoTime() < until && attempts.incrementAndGet() <= 10_000) {
                    try {
                        Message m = RawLogin.login(server.port(), guesser, "guess", "g-" + attempts.get(), "", 30_000,
                                new byte[0]);
                        String why = ((Message.LoginFail) m).reason();
                        (why.contains("does not match") ? checked : unchecked).incrementAndGet();
                    } catch (Exception e) {
                        unchecked.incrementAndGet();
                    }
                }
            }, "guesser-" + t);
            th.start();
            threads.add(th);
        }
        // Meanwhile a good client from another address logs in as fast as ever.
        EchoServer echo = closer.keep(new EchoServer());
        long start = System.nanoTime();
        JfrpClient good = closer.keep(Tunnels.client(server, Tunnels.tcp("good", echo.port(), 0)));
        Tunnels.awaitRunning(good, "good");
        java.time.Duration goodTook = java.time.Duration.ofNanos(System.nanoTime() - start);
        for (Thread th : threads) {
            th.join(30_000);
        }
        assertThat(goodTook).isLessThan(java.time.Duration.ofSeconds(2));
        // 5 free tries, then 100 ms doubling to 5 s: over 8 s at most a few dozen guesses are checked.
        assertThat(checked.get()).as("guesses checked, of %d attempts", attempts.get()).isBetween(5, 60);
        assertThat(unchecked.get()).as("the rest are refused unchecked").isPositive();
    }
}
