package io.jfrp.e2e;

import io.jfrp.client.ClientState;
import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ChannelConfig;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.transport.OutboundProxy;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.Loopback;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import io.jfrp.testing.TunnelProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** transport.proxyURL and a channel's localAddr: the way out to the server, as a client's network has it. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class OutboundProxyTest {

    @TempDir
    Path dir;
    private EchoServer echo;
    private JfrpServer server;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        echo = new EchoServer();
        server = Tunnels.server(dir);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        server.close();
        echo.close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        closing.add(c);
        return c;
    }

    private ClientConfig via(String protocol, String localAddr, String proxyUrl) {
        ChannelConfig ch = new ChannelConfig("out", "127.0.0.1", server.port(), protocol, localAddr,
                proxyUrl == null ? null : OutboundProxy.parse(proxyUrl));
        return Tunnels.clientConfig(server, Tunnels.tcp("echo", echo.port(), 0)).withChannels(List.of(ch), Duration.ofSeconds(30));
    }

    @Test
    void tcpThroughAnHttpConnectProxyWithAPassword() throws Exception {
        TunnelProxy proxy = keep(new TunnelProxy(TunnelProxy.Kind.HTTP, "alice", "s3cret:/@"));
        JfrpClient client = keep(JfrpClient.start(via("tcp", "", proxy.url("alice", "s3cret%3A%2F%40"))));
        int port = Tunnels.awaitRunning(client, "echo");
        byte[] data = RandomBytes.of(10 * 1024 * 1024, 41);
        assertThat(RandomBytes.sha256(Loopback.echo(port, data, 60))).isEqualTo(RandomBytes.sha256(data));
        assertThat(proxy.requests()).extracting(TunnelProxy.Request::target).containsOnly("127.0.0.1:" + server.port());
    }

    @Test
    void aWebSocketThroughASocks5ProxyWithAPassword() throws Exception {
        TunnelProxy proxy = keep(new TunnelProxy(TunnelProxy.Kind.SOCKS5, "bob", "hunter2"));
        JfrpClient client = keep(JfrpClient.start(via("websocket", "", proxy.url("bob", "hunter2"))));
        int port = Tunnels.awaitRunning(client, "echo");
        byte[] data = RandomBytes.of(10 * 1024 * 1024, 42);
        assertThat(RandomBytes.sha256(Loopback.echo(port, data, 60))).isEqualTo(RandomBytes.sha256(data));
        assertThat(proxy.requests()).extracting(TunnelProxy.Request::opened).containsOnly(true);
        assertThat(proxy.firstBytes()).containsOnly((int) 'G');
    }

    @Test
    void wssThroughAnHttpProxy() throws Exception {
        TunnelProxy proxy = keep(new TunnelProxy(TunnelProxy.Kind.HTTP, "", ""));
        JfrpClient client = keep(JfrpClient.start(via("wss", "", proxy.url("", ""))));
        int port = Tunnels.awaitRunning(client, "echo");
        assertThat(Tunnels.echoes(port)).isTrue();
        // TLS first, with the upgrade inside it (a "websocket" client would send "GET /~!frp" in clear).
        assertThat(proxy.firstBytes()).containsOnly(0x16);
    }

    @Test
    void aProxyThatRefusesTheCredentialsIsNamedAndThePasswordIsNot() throws Exception {
        TunnelProxy proxy = keep(new TunnelProxy(TunnelProxy.Kind.HTTP, "alice", "right"));
        JfrpClient client = keep(JfrpClient.start(via("tcp", "", proxy.url("alice", "wrong-password"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().lastError() != null
                && client.status().lastError().contains("proxy"));
        String error = client.status().lastError();
        assertThat(error).contains("http://alice:***@127.0.0.1:" + proxy.port()).contains("407")
                .doesNotContain("wrong-password");
        assertThat(client.status().state()).isNotEqualTo(ClientState.CONNECTED);
    }

    @Test
    void theChannelLeavesFromItsLocalAddress() throws Exception {
        TunnelProxy proxy = keep(new TunnelProxy(TunnelProxy.Kind.SOCKS5, "", ""));
        JfrpClient client = keep(JfrpClient.start(via("tcp", "127.0.0.2", proxy.url("", ""))));
        int port = Tunnels.awaitRunning(client, "echo");
        assertThat(Tunnels.echoes(port)).isTrue();
        assertThat(proxy.requests()).extracting(r -> r.from().getAddress())
                .containsOnly(InetAddress.getByName("127.0.0.2"));
    }
}
