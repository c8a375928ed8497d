package io.jfrp.core.tls;

import io.jfrp.core.config.ClientTls;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.FingerprintTrustManagerFactory;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;
import java.nio.file.Path;

/** SslContexts for both sides, on BoringSSL when it loads (it measures faster here), the JDK otherwise. */
public final class TlsContexts {

    private TlsContexts() {
    }

    public static SslProvider provider() {
        return SslProvider.isAlpnSupported(SslProvider.OPENSSL) && !Boolean.getBoolean("jfrp.jdkTls")
                ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /**
     * BoringSSL's contexts and engines counted by reference, freed when their owner releases them (the
     * server or client that made the context, at close; each engine with its handler), not by a finalizer
     * whenever the collector gets to them: native memory goes back at once, and Netty's leak detector
     * does not see a finalizer's late release as a leak (it did, now and then, in the tests).
     */
    private static SslProvider built() {
        return provider() == SslProvider.OPENSSL ? SslProvider.OPENSSL_REFCNT : SslProvider.JDK;
    }

    /** Frees a context made here (a no-op for the JDK's, and for null): its owner calls it once, at close. */
    public static void release(SslContext ssl) {
        io.netty.util.ReferenceCountUtil.release(ssl);
    }

    public static SslContext server(Path certFile, Path keyFile) throws SSLException {
        return server(certFile, keyFile, null);
    }

    /**
     * @param trustedCaFile when set, every TLS client must present a certificate this CA signed (frp's
     *                      {@code transport.tls.trustedCaFile} on frps); when null, none is asked for
     */
    public static SslContext server(Path certFile, Path keyFile, Path trustedCaFile) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forServer(PemKeyPair.read(certFile, keyFile).keyManager().factory())
                .sslProvider(built())
                .protocols("TLSv1.3", "TLSv1.2");
        if (trustedCaFile == null) {
            b.trustManager(NoClientCertificates.factory());
        } else {
            b.trustManager(trustedCaFile.toFile()).clientAuth(ClientAuth.REQUIRE);
        }
        return b.build();
    }

    /**
     * QUIC's own TLS on the server, with the bind port's certificate. QUIC cannot run without TLS, but it
     * only carries the control channel here: who the server is, and who the client is, is proven by the
     * TLS inside (or by nothing, with transport.tls.enable = false), the same on every transport.
     */
    public static QuicSslContext quicServer(Path certFile, Path keyFile) throws SSLException {
        PemKeyPair pair = PemKeyPair.read(certFile, keyFile);
        return QuicSslContextBuilder.forServer(pair.key, null, pair.chain).applicationProtocols(QUIC_ALPN).build();
    }

    /** QUIC's own TLS on the client: any certificate, for the reason {@link #quicServer} gives. */
    public static QuicSslContext quicClient() {
        return QuicSslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocols(QUIC_ALPN).build();
    }

    private static final String QUIC_ALPN = "jfrp";

    /**
     * Why a certificate and key cannot serve TLS (unreadable, not PEM, an encrypted key, the key of
     * another certificate), or null when they can.
     */
    public static String pairProblem(Path certFile, Path keyFile) {
        try {
            PemKeyPair.read(certFile, keyFile);
            return null;
        } catch (SSLException e) {
            return e.getMessage();
        }
    }

    /**
     * Trust follows frp unless the operator asks for more: a pinned fingerprint, else a CA file, else
     * any certificate (the client logs what it saw, so it can be pinned).
     */
    public static SslContext client(ClientTls tls) throws SSLException {
        return client(tls, null);
    }

    /** @param knownServers where trust on first use keeps what it saw (used with {@code tls.trustOnFirstUse()}) */
    public static SslContext client(ClientTls tls, java.nio.file.Path knownServers) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(built()).protocols("TLSv1.3", "TLSv1.2");
        String pin = tls.serverFingerprint() == null ? null : Fingerprints.normalize(tls.serverFingerprint());
        if (pin != null) {
            // The pin names the one certificate to accept, so the name in it does not matter: jfrps's own
            // certificate names localhost, and is pinned by clients that dial the server's public address.
            b.trustManager(FingerprintTrustManagerFactory.builder("SHA-256").fingerprints(pin).build())
                    .endpointIdentificationAlgorithm(null);
        } else if (tls.trustedCaFile() != null) {
            // A CA vouches for names: the certificate must name serverName (serverAddr when unset).
            b.trustManager(tls.trustedCaFile().toFile());
        } else if (tls.trustOnFirstUse()) {
            if (knownServers == null) {
                throw new SSLException("transport.tls.trustOnFirstUse needs a state directory to keep known_servers in");
            }
            b.trustManager(new TrustOnFirstUse(new KnownServers(knownServers))).endpointIdentificationAlgorithm(null);
        } else {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        }
        if (tls.certFile() != null && tls.keyFile() != null) {
            b.keyManager(PemKeyPair.read(tls.certFile(), tls.keyFile()).keyManager().factory());
        }
        return b.build();
    }
}
