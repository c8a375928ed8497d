package io.jfrp.core.tls;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key, read with the JDK alone: PKCS#8 as it is, PKCS#1 (RSA) and
 * SEC1 (EC) keys wrapped into PKCS#8 first (LegacyKeyForms). Netty's file loader would need
 * BouncyCastle for the last two, and registers its provider whenever it is on the class path.
 */
final class PemKeyPair {

    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1?PRIVATE KEY-----");
    private static final String[] ALGORITHMS = {"EC", "RSA", "Ed25519", "Ed448"};

    final PrivateKey key;
    final X509Certificate[] chain;

    private PemKeyPair(PrivateKey key, X509Certificate[] chain) {
        this.key = key;
        this.chain = chain;
    }

    static PemKeyPair read(Path certFile, Path keyFile) throws SSLException {
        PrivateKey key;
        try {
            key = privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new SSLException("cannot read the key file " + keyFile + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new SSLException("the key file " + keyFile + " " + e.getMessage(), e);
        }
        X509Certificate[] chain;
        try (InputStream in = Files.newInputStream(certFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new X509Certificate[0]);
        } catch (IOException | GeneralSecurityException e) {
            throw new SSLException("cannot read the certificate file " + certFile + ": " + e.getMessage(), e);
        }
        if (chain.length == 0) {
            throw new SSLException("the certificate file " + certFile + " holds no PEM certificate");
        }
        PemKeyPair pair = new PemKeyPair(key, chain);
        pair.requireMatch(certFile, keyFile);
        return pair;
    }

    /**
     * Signs a few bytes with the key and checks the signature with the certificate's public key. A key
     * that belongs to another certificate is otherwise accepted at start and fails every handshake
     * with nothing but "internal error" on either side.
     */
    private void requireMatch(Path certFile, Path keyFile) throws SSLException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm(); // EdDSA signs as itself
        };
        byte[] probe = "jfrp: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(chain[0].getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's: no match either
        }
        throw new SSLException("the key file " + keyFile + " does not belong to the certificate file " + certFile
                + ": the certificate (" + chain[0].getSubjectX500Principal().getName() + ", "
                + chain[0].getPublicKey().getAlgorithm() + " key) does not verify what this " + key.getAlgorithm()
                + " key signs");
    }

    SingleKeyManager keyManager() {
        return new SingleKeyManager(key, chain);
    }

    /** @throws IllegalArgumentException saying what the text holds instead of a key the JDK can use */
    static PrivateKey privateKey(String pem) {
        Matcher m = KEY.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("holds no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY "
                    + "or EC PRIVATE KEY)");
        }
        String form = m.group(1) == null ? "" : m.group(1).trim();
        if (form.equals("ENCRYPTED")) {
            throw new IllegalArgumentException("holds an encrypted key; jfrp reads unencrypted keys only "
                    + "(openssl pkey -in KEY -out PLAIN_KEY)");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        byte[] pkcs8;
        try {
            pkcs8 = switch (form) {
                case "RSA" -> LegacyKeyForms.pkcs8FromPkcs1(der);
                case "EC" -> LegacyKeyForms.pkcs8FromSec1(der);
                default -> der;
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("holds an " + form + " PRIVATE KEY that cannot be read: " + e.getMessage(), e);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String alg : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw new IllegalArgumentException("holds a " + (form.isEmpty() ? "PKCS#8" : form)
                + " private key the JDK cannot read (EC, RSA, Ed25519 and Ed448 are supported)");
    }
}
