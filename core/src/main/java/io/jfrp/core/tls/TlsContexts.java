package io.jfrp.core.tls;

import io.jfrp.core.config.ClientTls;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.FingerprintTrustManagerFactory;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** SslContexts for both sides, on BoringSSL when it loads (it measures faster here), the JDK otherwise. */
public final class TlsContexts {

    private TlsContexts() {
    }

    public static SslProvider provider() {
        return SslProvider.isAlpnSupported(SslProvider.OPENSSL) && !Boolean.getBoolean("jfrp.jdkTls")
                ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    public static SslContext server(Path certFile, Path keyFile) throws SSLException {
        return PemKeyPair.forServer(certFile, keyFile)
                .sslProvider(provider())
                .protocols("TLSv1.3", "TLSv1.2")
                .trustManager(noClientCertificates())
                .build();
    }

    /**
     * The server asks clients for no certificate, so it trusts none. Without a trust manager of its own,
     * Netty's OpenSSL server context loads the JDK's whole CA store (~140 certificates, ~1 MB of heap
     * kept for the server's life) to verify client certificates it never requests.
     */
    private static TrustManagerFactory noClientCertificates() throws SSLException {
        try {
            KeyStore empty = KeyStore.getInstance(KeyStore.getDefaultType());
            empty.load(null, null);
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(empty);
            return f;
        } catch (GeneralSecurityException | IOException e) {
            throw new SSLException("cannot set up an empty trust store: " + e, e);
        }
    }

    /**
     * Trust follows frp unless the operator asks for more: a pinned fingerprint, else a CA file, else
     * any certificate (the client logs what it saw, so it can be pinned).
     */
    public static SslContext client(ClientTls tls) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider()).protocols("TLSv1.3", "TLSv1.2");
        String pin = tls.serverFingerprint() == null ? null : Fingerprints.normalize(tls.serverFingerprint());
        if (pin != null) {
            b.trustManager(FingerprintTrustManagerFactory.builder("SHA-256").fingerprints(pin).build());
        } else if (tls.trustedCaFile() != null) {
            b.trustManager(tls.trustedCaFile().toFile());
        } else {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        if (tls.certFile() != null && tls.keyFile() != null) {
            PemKeyPair.keyManager(b, tls.certFile(), tls.keyFile());
        }
        return b.build();
    }
}
