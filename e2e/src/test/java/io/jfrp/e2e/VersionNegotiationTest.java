package io.jfrp.e2e;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ClientTls;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.FrameEncoder;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.jfrp.testing.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client against a fake server that claims another protocol version: a newer major is refused with
 * both versions and which side to upgrade; an older minor works with what both have, and one log line
 * names what the server lacks. (The server's side of the same: LoginHandlerTest.)
 */
@ExtendWith(LeakCheck.class)
class VersionNegotiationTest {

    @RegisterExtension
    final Closer closer = new Closer();

    /** Answers every connection with {@code answer}'s frames, then holds it open until the test ends. */
    private ServerSocket fakeServer(Message... answer) throws Exception {
        ServerSocket s = closer.keep(new ServerSocket(0, 8, InetAddress.getLoopbackAddress()));
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket c = s.accept();
                    closer.keep(c);
                    ByteBuf out = Unpooled.buffer();
                    for (Message m : answer) {
                        FrameEncoder.encode(m, out);
                    }
                    byte[] bytes = new byte[out.readableBytes()];
                    out.readBytes(bytes);
                    out.release();
                    OutputStream o = c.getOutputStream();
                    o.write(bytes);
                    o.flush();
                } catch (Exception e) {
                    return;
                }
            }
        }, "fake-jfrps");
        t.setDaemon(true);
        t.start();
        return s;
    }

    private JfrpClient client(ServerSocket server) throws Exception {
        ClientConfig c = ClientConfig.defaults("127.0.0.1", server.getLocalPort(), Tunnels.TOKEN, List.of())
                .withTls(new ClientTls(false, null, null, null, "", ""));
        return closer.keep(JfrpClient.start(c));
    }

    @Test
    void aServerOfANewerMajorVersionIsRefusedNamingBothAndTheSideToUpgrade() throws Exception {
        ServerSocket server = fakeServer(new Message.Preface(Wire.VERSION_MAJOR + 1, 3),
                new Message.GoAway(ErrorCode.VERSION_MISMATCH, "protocol " + (Wire.VERSION_MAJOR + 1) + ".3 only"));
        JfrpClient client = client(server);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().lastError() != null
                && client.status().lastError().contains("upgrade"));
        assertThat(client.status().lastError()).contains((Wire.VERSION_MAJOR + 1) + ".3")
                .contains(Wire.VERSION_MAJOR + ".x").contains("upgrade jfrpc");
    }

    @Test
    void aServerOfAnOlderMinorVersionWorksWithWhatBothHaveAndOneLineSaysWhatItLacks() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("io.jfrp.client.ControlLoop");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO); // the tests' logging shows warnings only
        logger.addAppender(lines);
        try {
            // A 1.0 server: early data only, and no stream features of 1.1.
            ServerSocket server = fakeServer(new Message.Preface(Wire.VERSION_MAJOR, 0),
                    new Message.Challenge(new byte[Wire.NONCE_LENGTH], "0.0.9", Wire.FEATURE_EARLY_DATA));
            JfrpClient client = client(server);
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("lacks")));
            List<String> said = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("lacks")).toList();
            assertThat(said).hasSize(1);
            assertThat(said.get(0)).contains("jfrps 0.0.9").contains(Wire.featureNames(Wire.FEATURES & ~Wire.FEATURE_EARLY_DATA))
                    .contains("does without");
            assertThat(client.status().lastError()).as("no refusal: it logs in with what both have")
                    .satisfiesAnyOf(e -> assertThat(e).isNull(), e -> assertThat(e).doesNotContain("upgrade"));
        } finally {
            logger.detachAppender(lines);
            logger.setLevel(level);
        }
    }
}
