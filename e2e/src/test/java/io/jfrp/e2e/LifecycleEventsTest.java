package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ProxyType;
import io.jfrp.core.lifecycle.LifecycleEvent;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.Loopback;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server reports what happens to sessions, proxies and streams as events, the ones metrics will
 * count: checked here against what really crossed the tunnel.
 */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class LifecycleEventsTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
    private final List<LifecycleEvent> clientEvents = new CopyOnWriteArrayList<>();

    private <E extends LifecycleEvent> List<E> seen(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private <E extends LifecycleEvent> E awaitOne(Class<E> type) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !seen(type).isEmpty());
        return seen(type).get(0);
    }

    @Test
    void aSessionItsProxyAndItsStreamsReportOpeningClosingAndTheirBytes() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir), events::add));
        EchoServer echo = closer.keep(new EchoServer());
        JfrpClient client = JfrpClient.start(Tunnels.clientConfig(server, Tunnels.tcp("web", echo.port(), 0)),
                clientEvents::add);
        String runId;
        int port;
        try (client) {
            port = Tunnels.awaitRunning(client, "web");
            runId = client.status().runId();
            LifecycleEvent.SessionEstablished est = awaitOne(LifecycleEvent.SessionEstablished.class);
            assertThat(est.session()).isEqualTo(runId);
            assertThat(awaitOne(LifecycleEvent.ProxyOpened.class))
                    .isEqualTo(new LifecycleEvent.ProxyOpened(runId, "web", ProxyType.TCP, port));

            byte[] data = RandomBytes.of(3 * 1024 * 1024 + 17, 11);
            assertThat(RandomBytes.sha256(Loopback.echo(port, data, 20))).isEqualTo(RandomBytes.sha256(data));
            LifecycleEvent.StreamClosed closed = awaitOne(LifecycleEvent.StreamClosed.class);
            LifecycleEvent.StreamOpened opened = seen(LifecycleEvent.StreamOpened.class).get(0);
            assertThat(opened.streamId()).isEqualTo(closed.streamId());
            assertThat(opened.proxy()).isEqualTo("web");
            assertThat(closed.bytesOut()).as("from the user, to the client").isEqualTo(data.length);
            assertThat(closed.bytesIn()).as("from the client, back to the user").isEqualTo(data.length);
            assertThat(closed.broken()).as("a FIN each way").isFalse();

            // The client saw the same stream from its side: what left the server arrived there.
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    clientEvents.stream().anyMatch(e -> e instanceof LifecycleEvent.StreamClosed));
            assertThat(clientEvents).filteredOn(e -> e instanceof LifecycleEvent.StreamClosed).singleElement()
                    .isEqualTo(new LifecycleEvent.StreamClosed(runId, "web", closed.streamId(), data.length,
                            data.length, false));
            assertThat(clientEvents).first().isInstanceOf(LifecycleEvent.SessionEstablished.class);
            assertThat(clientEvents).contains(new LifecycleEvent.ProxyOpened(runId, "web", ProxyType.TCP, port));
        }
        LifecycleEvent.SessionClosed end = awaitOne(LifecycleEvent.SessionClosed.class);
        assertThat(end.session()).isEqualTo(runId);
        assertThat(end.proxiesClosed()).isEqualTo(1);
        assertThat(seen(LifecycleEvent.ProxyClosed.class)).singleElement()
                .satisfies(c -> assertThat(c.port()).isEqualTo(port));
        assertThat(seen(LifecycleEvent.SessionLost.class)).as("a goodbye is not a loss").isEmpty();
    }

    @Test
    void aStreamWhoseServiceResetsIsReportedBroken() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir), events::add));
        ServerSocket service = closer.keep(new ServerSocket());
        service.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        JfrpClient client = closer.keep(Tunnels.client(server, Tunnels.tcp("rst", service.getLocalPort(), 0)));
        int port = Tunnels.awaitRunning(client, "rst");
        CompletableFuture<Void> resets = Loopback.sendThenReset(service, 1000);
        try (Socket user = new Socket()) {
            user.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            user.setSoTimeout(20_000);
            // The service resets only after the user has its 1,000 bytes: none are lost to the reset.
            assertThat(user.getInputStream().readNBytes(1000)).hasSize(1000);
            user.getOutputStream().write(1);
            resets.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> !seen(LifecycleEvent.StreamClosed.class).isEmpty());
        }
        LifecycleEvent.StreamClosed closed = seen(LifecycleEvent.StreamClosed.class).get(0);
        assertThat(closed.broken()).isTrue();
        assertThat(closed.bytesIn()).isEqualTo(1000);
        assertThat(closed.bytesOut()).isEqualTo(1);
    }
}
