package io.jfrp.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 fingerprints in the colon-separated upper-case form that openssl prints. */
public final class Fingerprints {
    private Fingerprints() {
    }

    public static String sha256(Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(Path pemFile) throws IOException {
        try (InputStream in = Files.newInputStream(pemFile)) {
            return sha256(CertificateFactory.getInstance("X.509").generateCertificate(in));
        } catch (GeneralSecurityException e) {
            throw new IOException("not a certificate: " + pemFile + ": " + e.getMessage(), e);
        }
    }

    /** Accepts "AB:CD:..", "abcd..", with or without colons or spaces; returns bare lower-case hex or null. */
    public static String normalize(String fingerprint) {
        String hex = fingerprint.replaceAll("[:\\s]", "").toLowerCase(Locale.ROOT);
        return hex.matches("[0-9a-f]{64}") ? hex : null;
    }
}
