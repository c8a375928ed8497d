package io.jfrp.core.tls;

import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its unencrypted PKCS#8 key read with the JDK alone. Netty's own file loader
 * tries BouncyCastle's PEM reader first whenever BouncyCastle is on the class path, which registers
 * its provider: some 700 classes and a few MB of heap in every server, for a file the JDK reads as
 * well. Other key forms (PKCS#1, encrypted) go to Netty's loader, which knows them.
 */
final class PemKeyPair {

    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final String[] ALGORITHMS = {"EC", "RSA", "Ed25519", "Ed448"};

    final PrivateKey key;
    final X509Certificate[] chain;

    private PemKeyPair(PrivateKey key, X509Certificate[] chain) {
        this.key = key;
        this.chain = chain;
    }

    /** @return the pair, or null when the key is not a plain PKCS#8 one this class reads */
    static PemKeyPair readOrNull(Path certFile, Path keyFile) throws SSLException {
        try {
            PrivateKey key = pkcs8(Files.readString(keyFile, StandardCharsets.US_ASCII));
            if (key == null) {
                return null;
            }
            X509Certificate[] chain;
            try (InputStream in = Files.newInputStream(certFile)) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in)
                        .toArray(new X509Certificate[0]);
            }
            return chain.length == 0 ? null : new PemKeyPair(key, chain);
        } catch (IOException | GeneralSecurityException e) {
            throw new SSLException("cannot read " + certFile + " / " + keyFile + ": " + e.getMessage(), e);
        }
    }

    static SslContextBuilder forServer(Path certFile, Path keyFile) throws SSLException {
        PemKeyPair p = readOrNull(certFile, keyFile);
        return p != null ? SslContextBuilder.forServer(p.key, p.chain)
                : SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile());
    }

    static void keyManager(SslContextBuilder b, Path certFile, Path keyFile) throws SSLException {
        PemKeyPair p = readOrNull(certFile, keyFile);
        if (p != null) {
            b.keyManager(p.key, p.chain);
        } else {
            b.keyManager(certFile.toFile(), keyFile.toFile());
        }
    }

    private static PrivateKey pkcs8(String pem) {
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            return null;
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        for (String alg : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        return null;
    }
}
