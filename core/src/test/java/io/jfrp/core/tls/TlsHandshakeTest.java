package io.jfrp.core.tls;

import io.jfrp.core.config.ClientTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real handshakes on loopback with the keys openssl writes (RSA, EC P-256, EC P-384), on BoringSSL and
 * on the JDK, in TLS 1.3 and 1.2 (where the key's type picks the cipher suite): the server presents
 * the configured certificate, and a client configured with a certificate presents it when asked.
 */
class TlsHandshakeTest {

    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ParameterizedTest
    @CsvSource({
        "rsa.crt, rsa-pkcs1.key, OPENSSL, TLSv1.3", "rsa.crt, rsa-pkcs1.key, OPENSSL, TLSv1.2",
        "rsa.crt, rsa-pkcs1.key, JDK, TLSv1.3", "rsa.crt, rsa-pkcs1.key, JDK, TLSv1.2",
        "ec.crt, ec-sec1.key, OPENSSL, TLSv1.3", "ec.crt, ec-sec1.key, OPENSSL, TLSv1.2",
        "ec.crt, ec-sec1.key, JDK, TLSv1.2",
        "ec384.crt, ec384-sec1-with-params.key, OPENSSL, TLSv1.2",
    })
    void theServerPresentsItsConfiguredCertificate(String cert, String key, SslProvider provider, String protocol)
            throws Exception {
        SslContext server = withProvider(provider, () -> TlsContexts.server(fixture(cert), fixture(key)));
        SslContext client = SslContextBuilder.forClient().sslProvider(provider).protocols(protocol)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build();

        SSLSession session = handshake(server, client, new CompletableFuture<>());

        assertThat(session.getProtocol()).isEqualTo(protocol);
        assertThat(Fingerprints.sha256(session.getPeerCertificates()[0])).isEqualTo(Fingerprints.sha256(fixture(cert)));
    }

    @ParameterizedTest
    @CsvSource({"rsa.crt, rsa-pkcs1.key, TLSv1.3", "ec.crt, ec-sec1.key, TLSv1.2", "ec.crt, ec-sec1.key, TLSv1.3"})
    void aClientWithACertificatePresentsItWhenAsked(String cert, String key, String protocol) throws Exception {
        SslContext server = SslContextBuilder.forServer(PemKeyPair.read(fixture("ec.crt"), fixture("ec-sec1.key"))
                        .keyManager().factory())
                .protocols(protocol).clientAuth(ClientAuth.REQUIRE)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        SslContext client = TlsContexts.client(new ClientTls(true, fixture(cert), fixture(key), null, null,
                Fingerprints.sha256(fixture("ec.crt"))));
        CompletableFuture<SSLSession> atServer = new CompletableFuture<>();

        handshake(server, client, atServer);

        X509Certificate seen = (X509Certificate) atServer.get(5, TimeUnit.SECONDS).getPeerCertificates()[0];
        assertThat(Fingerprints.sha256(seen)).isEqualTo(Fingerprints.sha256(fixture(cert)));
    }

    @ParameterizedTest
    @CsvSource({"OPENSSL", "JDK"})
    void aPinnedCertificateIsAcceptedWhateverItNamesAndAnyOtherIsRefused(SslProvider provider) throws Exception {
        // ec.crt names no host at all; the client dials "localhost" as it would dial a public address.
        SslContext server = withProvider(provider, () -> TlsContexts.server(fixture("ec.crt"), fixture("ec-sec1.key")));
        SslContext pinned = withProvider(provider, () -> TlsContexts.client(
                new ClientTls(true, null, null, null, "", Fingerprints.sha256(fixture("ec.crt")))));
        SslContext pinnedToAnother = withProvider(provider, () -> TlsContexts.client(
                new ClientTls(true, null, null, null, "", Fingerprints.sha256(fixture("rsa.crt")))));

        assertThat(Fingerprints.sha256(handshake(server, pinned, new CompletableFuture<>()).getPeerCertificates()[0]))
                .isEqualTo(Fingerprints.sha256(fixture("ec.crt")));
        assertThatThrownBy(() -> handshake(server, pinnedToAnother, new CompletableFuture<>()))
                .hasRootCauseInstanceOf(CertificateException.class);
    }

    @ParameterizedTest
    @CsvSource({"OPENSSL", "JDK"})
    void aCaFileVouchesForTheNameTheClientDials(SslProvider provider) throws Exception {
        SslContext server = withProvider(provider, () -> TlsContexts.server(fixture("ec.crt"), fixture("ec-sec1.key")));
        SslContext trustingTheCa = withProvider(provider, () -> TlsContexts.client(
                new ClientTls(true, null, null, fixture("ec.crt"), "", "")));

        assertThatThrownBy(() -> handshake(server, trustingTheCa, new CompletableFuture<>()))
                .hasStackTraceContaining("No name matching localhost");
    }

    @ParameterizedTest
    @CsvSource({"OPENSSL", "JDK"})
    void aServerWithACaFileTakesOnlyClientsWithACertificateItSigned(SslProvider provider) throws Exception {
        // rsa.crt is self-signed: trusted as a CA, it vouches for itself.
        SslContext server = withProvider(provider, () -> TlsContexts.server(fixture("ec.crt"), fixture("ec-sec1.key"),
                fixture("rsa.crt")));
        String pin = Fingerprints.sha256(fixture("ec.crt"));
        SslContext signed = withProvider(provider, () -> TlsContexts.client(
                new ClientTls(true, fixture("rsa.crt"), fixture("rsa-pkcs1.key"), null, "", pin)));
        SslContext another = withProvider(provider, () -> TlsContexts.client(
                new ClientTls(true, fixture("ec.crt"), fixture("ec-sec1.key"), null, "", pin)));
        SslContext none = withProvider(provider, () -> TlsContexts.client(new ClientTls(true, null, null, null, "", pin)));
        CompletableFuture<SSLSession> atServer = new CompletableFuture<>();

        handshake(server, signed, atServer);
        X509Certificate seen = (X509Certificate) atServer.get(5, TimeUnit.SECONDS).getPeerCertificates()[0];
        assertThat(Fingerprints.sha256(seen)).isEqualTo(Fingerprints.sha256(fixture("rsa.crt")));
        CompletableFuture<SSLSession> refusedAnother = new CompletableFuture<>();
        assertThatThrownBy(() -> {
            handshake(server, another, refusedAnother);
            refusedAnother.get(5, TimeUnit.SECONDS);
        }).as("a certificate the CA did not sign").isNotNull();
        CompletableFuture<SSLSession> refusedNone = new CompletableFuture<>();
        assertThatThrownBy(() -> {
            handshake(server, none, refusedNone);
            refusedNone.get(5, TimeUnit.SECONDS);
        }).as("no certificate").isNotNull();
    }

    /** Connects {@code client} to a loopback server using {@code server}; returns the client's session. */
    private static SSLSession handshake(SslContext server, SslContext client, CompletableFuture<SSLSession> atServer)
            throws Exception {
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = server.newHandler(ch.alloc());
                        ssl.handshakeFuture().addListener(f -> completeWith(atServer, f, ssl));
                        ch.pipeline().addLast(ssl);
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            CompletableFuture<SSLSession> atClient = new CompletableFuture<>();
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            SslHandler ssl = client.newHandler(c.alloc(), "localhost", 0);
                            ssl.handshakeFuture().addListener(f -> completeWith(atClient, f, ssl));
                            c.pipeline().addLast(ssl);
                        }
                    }).connect(listener.localAddress()).sync().channel();
            try {
                return atClient.get(5, TimeUnit.SECONDS);
            } finally {
                ch.close().sync();
            }
        } finally {
            listener.close().sync();
        }
    }

    private static void completeWith(CompletableFuture<SSLSession> session, Future<?> handshake, SslHandler ssl) {
        if (handshake.isSuccess()) {
            session.complete(ssl.engine().getSession());
        } else {
            session.completeExceptionally(handshake.cause());
        }
    }

    private interface ContextMaker {
        SslContext make() throws Exception;
    }

    private static SslContext withProvider(SslProvider provider, ContextMaker maker) throws Exception {
        String before = System.getProperty("jfrp.jdkTls");
        System.setProperty("jfrp.jdkTls", String.valueOf(provider == SslProvider.JDK));
        try {
            SslContext ctx = maker.make();
            assertThat(TlsContexts.provider()).isEqualTo(provider);
            return ctx;
        } finally {
            if (before == null) {
                System.clearProperty("jfrp.jdkTls");
            } else {
                System.setProperty("jfrp.jdkTls", before);
            }
        }
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(TlsHandshakeTest.class.getResource("/tls/" + name).toURI());
    }
}
