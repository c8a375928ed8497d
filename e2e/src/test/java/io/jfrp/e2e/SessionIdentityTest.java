package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.FrameDecoder;
import io.jfrp.protocol.FrameEncoder;
import io.jfrp.protocol.LoginProof;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A runId is an identifier, not a secret: knowing one (and the token) neither resumes nor closes that session. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class SessionIdentityTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    /** A login written by hand, as an attacker with the shared token would: the server's answer to it. */
    private static Message login(int port, String runId, String user, int heartbeatMillis, byte[] resumeProof)
            throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder());
            try {
                send(s, new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR), new Message.Hello("attacker", 0));
                Message.Challenge c = next(s, decoder, Message.Challenge.class);
                long now = System.currentTimeMillis();
                send(s, new Message.Login(runId, user, now, LoginProof.compute(Tunnels.TOKEN, c.nonce(), now, runId),
                        "evil\nhost", heartbeatMillis, resumeProof));
                return next(s, decoder, Message.class);
            } finally {
                decoder.finishAndReleaseAll();
            }
        }
    }

    private static void send(Socket s, Message... messages) throws Exception {
        ByteBuf out = Unpooled.buffer();
        for (Message m : messages) {
            FrameEncoder.encode(m, out);
        }
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        out.release();
        s.getOutputStream().write(b);
    }

    /** The next message of {@code type} (earlier ones of other types, such as the Preface, are skipped). */
    private static <T> T next(Socket s, EmbeddedChannel decoder, Class<T> type) throws Exception {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (true) {
            Object m;
            while ((m = decoder.readInbound()) != null) {
                if (type.isInstance(m) && !(m instanceof Message.Preface)) {
                    return type.cast(m);
                }
            }
            int n = in.read(buf);
            if (n < 0) {
                throw new java.io.EOFException("the server closed the connection");
            }
            decoder.writeInbound(Unpooled.wrappedBuffer(buf, 0, n).copy());
        }
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
}
