package io.jfrp.e2e;

import io.jfrp.client.ClientFleet;
import io.jfrp.client.ClientState;
import io.jfrp.client.JfrpClient;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.Loopback;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Clients of one fleet share loops and a TLS context, and are otherwise whole: one closed leaves the rest. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class ClientFleetTest {

    @TempDir
    Path dir;

    @Test
    void clientsOnSharedLoopsCarryTheirOwnBytesAndOneClosedLeavesTheOthers() throws Exception {
        try (EchoServer echo = new EchoServer(); JfrpServer server = Tunnels.server(dir); ClientFleet fleet = new ClientFleet(1)) {
            List<JfrpClient> clients = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JfrpClient c = fleet.start(Tunnels.clientConfig(server, Tunnels.tcp("fleet" + i, echo.port(), 0)),
                        e -> { });
                clients.add(c);
            }
            for (int i = 0; i < 4; i++) {
                ports.add(Tunnels.awaitRunning(clients.get(i), "fleet" + i));
            }
            assertThat(clients).extracting(JfrpClient::runId).doesNotHaveDuplicates();

            clients.get(0).close();
            for (int i = 1; i < 4; i++) {
                byte[] data = RandomBytes.of(256 * 1024, i);
                byte[] got = Loopback.echo(ports.get(i), data, 30);
                assertThat(RandomBytes.sha256(got)).isEqualTo(RandomBytes.sha256(data));
                assertThat(clients.get(i).status().state()).isEqualTo(ClientState.CONNECTED);
                assertThat(clients.get(i).status().reconnects()).isZero();
            }
            int closedPort = ports.get(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> !Tunnels.listening(closedPort));
        }
    }
}
