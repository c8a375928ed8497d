package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ProxyBalancing;
import io.jfrp.core.config.ProxyBandwidth;
import io.jfrp.core.config.ProxyLabels;
import io.jfrp.core.config.TcpProxyConfig;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.Loopback;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * frp's transport.bandwidthLimit: a proxy's streams together, both directions counted, keep to the rate
 * (after a burst of one second's worth), whether the client or the server holds them to it; the bytes
 * arrive intact. A lower bound on the time is what shows the limit acts; nothing here measures speed.
 */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class BandwidthLimitTest {

    private static final int RATE = 512 * 1024;
    private static final int SIZE = 768 * 1024;

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anEchoThroughALimitedProxyTakesItsTimeAndArrivesIntact(boolean atServer) throws Exception {
        EchoServer echo = closer.keep(new EchoServer());
        JfrpServer server = closer.keep(Tunnels.server(dir));
        JfrpClient client = closer.keep(Tunnels.client(server, new TcpProxyConfig("limited", "127.0.0.1", echo.port(), 0,
                ProxyLabels.NONE, "", null, ProxyBalancing.NONE, new ProxyBandwidth(RATE, atServer))));
        int port = Tunnels.awaitRunning(client, "limited");
        byte[] data = RandomBytes.of(SIZE, 11);
        long start = System.nanoTime();
        byte[] got = Loopback.echo(port, data, 60);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(got.length).isEqualTo(SIZE);
        assertThat(RandomBytes.sha256(got)).isEqualTo(RandomBytes.sha256(data));
        // 1.5 MiB through the bucket (both directions), of which the first 512 KiB at once: at least 2 s.
        assertThat(seconds).as("seconds for %d bytes each way at %d bytes/s", SIZE, RATE).isGreaterThan(1.8);
    }
}
