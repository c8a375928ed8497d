package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.DomainRouting;
import io.jfrp.core.config.HttpsProxyConfig;
import io.jfrp.core.config.VhostSettings;
import io.jfrp.core.tls.SelfSignedCertificate;
import io.jfrp.core.tls.TlsContexts;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** https proxies: routed by the ClientHello's server name, still encrypted, to the service that ends the TLS. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class HttpsVhostTest {

    @TempDir
    Path dir;
    @TempDir
    Path serviceDir;
    @RegisterExtension
    final Closer closer = new Closer();

    /** A TLS echo service, which says its name first: the test knows which one answered. */
    private int tlsService(String name) throws Exception {
        SelfSignedCertificate.ensure(serviceDir);
        SslContext ssl = TlsContexts.server(serviceDir.resolve(SelfSignedCertificate.CERT_FILE),
                serviceDir.resolve(SelfSignedCertificate.KEY_FILE));
        closer.keep(() -> TlsContexts.release(ssl));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        closer.keep(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent e && e.isSuccess()) {
                                    ctx.writeAndFlush(ctx.alloc().buffer().writeBytes((name + "\n").getBytes()));
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ctx.writeAndFlush((ByteBuf) msg);
                            }
                        });
                    }
                }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    private static SSLSocket user(int port, String serverName) throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, new TrustManager[]{new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String type) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String type) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket s = (SSLSocket) c.getSocketFactory().createSocket(new Socket(InetAddress.getLoopbackAddress(), port),
                "127.0.0.1", port, true);
        s.setSoTimeout(15_000);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(serverName)));
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    private static String firstLine(SSLSocket s) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = s.getInputStream().read(); c >= 0 && c != '\n'; c = s.getInputStream().read()) {
            b.append((char) c);
        }
        return b.toString();
    }

    private void routesByServerNameEndToEnd(JfrpServer server, int port, boolean sharedWithClients) throws Exception {
        int a = tlsService("service-a");
        int b = tlsService("service-b");
        JfrpClient client = closer.keep(Tunnels.client(server,
                new HttpsProxyConfig("a", "127.0.0.1", a, DomainRouting.of(List.of("a.example.com"), "")),
                new HttpsProxyConfig("b", "127.0.0.1", b, DomainRouting.of(List.of("*.b.example.com"), ""))));
        Tunnels.awaitRunning(client, "a");
        Tunnels.awaitRunning(client, "b");
        java.security.cert.Certificate serviceCert;
        try (java.io.InputStream pem = java.nio.file.Files.newInputStream(serviceDir.resolve(SelfSignedCertificate.CERT_FILE))) {
            serviceCert = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(pem);
        }
        try (SSLSocket s = user(port, "a.example.com")) {
            assertThat(firstLine(s)).isEqualTo("service-a");
            assertThat(s.getSession().getPeerCertificates()[0]).as("the service's own certificate, end to end")
                    .isEqualTo(serviceCert);
            byte[] data = RandomBytes.of(300_000, 3);
            CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.getInputStream().readNBytes(data.length);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            s.getOutputStream().write(data);
            s.getOutputStream().flush();
            assertThat(RandomBytes.sha256(back.get(20, TimeUnit.SECONDS))).isEqualTo(RandomBytes.sha256(data));
        }
        try (SSLSocket s = user(port, "x.b.example.com")) {
            assertThat(firstLine(s)).isEqualTo("service-b");
        }
        if (!sharedWithClients) {
            assertThatThrownBy(() -> user(port, "nobody.example.com").close())
                    .as("a name nobody routes is closed during the handshake").isInstanceOf(IOException.class);
            return;
        }
        // On the bind port a name nobody routes is a client's TLS: jfrps's own, where a user's bytes end the connection.
        try (SSLSocket s = user(port, "nobody.example.com")) {
            s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes());
            s.getOutputStream().flush();
            int got;
            try {
                got = s.getInputStream().read();
            } catch (IOException e) {
                got = -1;
            }
            assertThat(got).as("no service answers").isNotEqualTo((int) 's');
        }
    }

    @Test
    void connectionsAreRoutedByTheirServerNameAndStayEncrypted() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)
                .withVhost(VhostSettings.NONE.withHttps(VhostSettings.ANY_PORT))));
        routesByServerNameEndToEnd(server, server.vhostHttpsPort(), false);
    }

    @Test
    void theBindPortServesHttpsUsersBesideClients() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir).withBind("127.0.0.1", port)
                .withVhost(VhostSettings.NONE.withHttps(port))));
        // The client's own TLS (no name that routes) reaches the control channel: the proxies come up.
        routesByServerNameEndToEnd(server, port, true);
    }
}
