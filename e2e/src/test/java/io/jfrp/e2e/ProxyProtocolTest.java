package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ProxyLabels;
import io.jfrp.core.config.TcpProxyConfig;
import io.jfrp.core.config.UdpProxyConfig;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * transport.proxyProtocolVersion: the local service learns each user's real address from a PROXY
 * protocol header, parsed back here with Netty's decoder, ahead of the user's own bytes (each datagram's).
 */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class ProxyProtocolTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    /** Feeds bytes to Netty's decoder: the header it found, and what followed it. */
    private record Parsed(String source, int sourcePort, String version, String rest) {
    }

    private static Parsed parse(EmbeddedChannel decoder, byte[] bytes, int n) {
        decoder.writeInbound(Unpooled.copiedBuffer(bytes, 0, n));
        HAProxyMessage m = null;
        StringBuilder rest = new StringBuilder();
        Object o;
        while ((o = decoder.readInbound()) != null) {
            if (o instanceof HAProxyMessage h) {
                m = h;
            } else if (o instanceof ByteBuf b) {
                rest.append(b.toString(StandardCharsets.UTF_8));
                b.release();
            }
        }
        if (m == null) {
            return null;
        }
        Parsed p = new Parsed(m.sourceAddress(), m.sourcePort(), m.protocolVersion().name(), rest.toString());
        m.release();
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void aTcpServiceGetsTheUsersAddressBeforeItsBytes(String version) throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)));
        ServerSocket service = closer.keep(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        CompletableFuture<Parsed> seen = CompletableFuture.supplyAsync(() -> {
            try (Socket s = service.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                EmbeddedChannel decoder = new EmbeddedChannel(new HAProxyMessageDecoder());
                byte[] buf = new byte[4096];
                Parsed p = null;
                while (p == null || p.rest().length() < 5) {
                    int n = in.read(buf);
                    Parsed more = parse(decoder, buf, Math.max(n, 0));
                    p = more != null ? more : p == null ? null
                            : new Parsed(p.source(), p.sourcePort(), p.version(), p.rest() + new String(buf, 0, n, StandardCharsets.UTF_8));
                }
                decoder.finishAndReleaseAll();
                out.write("ok".getBytes(StandardCharsets.US_ASCII));
                return p;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        JfrpClient client = closer.keep(Tunnels.client(server, new TcpProxyConfig("web", "127.0.0.1",
                service.getLocalPort(), 0, ProxyLabels.NONE, version)));
        int port = Tunnels.awaitRunning(client, "web");
        try (Socket user = new Socket(InetAddress.getLoopbackAddress(), port)) {
            user.setSoTimeout(10_000);
            user.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(user.getInputStream().readNBytes(2)).isEqualTo("ok".getBytes(StandardCharsets.US_ASCII));
            Parsed p = seen.get(10, TimeUnit.SECONDS);
            assertThat(p.version()).isEqualTo(version.toUpperCase());
            assertThat(p.source()).isEqualTo("127.0.0.1");
            assertThat(p.sourcePort()).isEqualTo(user.getLocalPort());
            assertThat(p.rest()).isEqualTo("hello");
        }
    }

    @Test
    void everyDatagramToAUdpServiceLeadsWithTheUsersAddress() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)));
        DatagramSocket service = closer.keep(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        service.setSoTimeout(10_000);
        JfrpClient client = closer.keep(Tunnels.client(server, new UdpProxyConfig("dns", "127.0.0.1",
                service.getLocalPort(), 0, 1500, ProxyLabels.NONE, "v2")));
        int port = Tunnels.awaitRunning(client, "dns");
        try (DatagramSocket user = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (String text : new String[]{"first", "second"}) {
                byte[] d = text.getBytes(StandardCharsets.US_ASCII);
                user.send(new DatagramPacket(d, d.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
                byte[] buf = new byte[2048];
                DatagramPacket got = new DatagramPacket(buf, buf.length);
                service.receive(got);
                EmbeddedChannel decoder = new EmbeddedChannel(new HAProxyMessageDecoder());
                Parsed p = parse(decoder, buf, got.getLength());
                decoder.finishAndReleaseAll();
                assertThat(p).as("a header in front of datagram \"%s\"", text).isNotNull();
                assertThat(p.source()).isEqualTo("127.0.0.1");
                assertThat(p.sourcePort()).isEqualTo(user.getLocalPort());
                assertThat(p.rest()).isEqualTo(text);
            }
        }
    }
}
