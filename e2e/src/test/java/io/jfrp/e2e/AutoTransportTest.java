package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** transport.protocol = "auto": tcp, then websocket, starting with the one that last reached the server. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class AutoTransportTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void theTransportThatWorkedIsKeptAndTriedFirstOnTheNextStart() throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = closer.keep(Tunnels.server(dir));
        Path state = dir.resolve("frpc.toml.state");
        ClientConfig auto = Tunnels.clientConfig(server, Tunnels.tcp("echo", echo.port(), 0)).withProtocol("auto")
                .withStateFile(state);

        try (JfrpClient first = JfrpClient.start(auto)) {
            Tunnels.awaitRunning(first, "echo");
            assertThat(first.status().channel()).isEqualTo("tcp");
        }
        assertThat(Files.readString(state)).contains("transport=127.0.0.1:" + server.port() + " tcp");

        // As if websocket had been the one to get through last time (tcp blocked on the way).
        Files.writeString(state, Files.readString(state).replace(" tcp\n", " websocket\n"));
        JfrpClient second = closer.keep(JfrpClient.start(auto));
        int remote = Tunnels.awaitRunning(second, "echo");
        assertThat(second.status().channel()).isEqualTo("websocket");
        assertThat(second.status().channels()).extracting(c -> c.state()).containsExactly("untried", "active");
        assertThat(Tunnels.echoes(remote)).isTrue();
    }
}
