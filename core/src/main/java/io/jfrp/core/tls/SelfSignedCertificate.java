package io.jfrp.core.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The certificate a server uses when the operator gave none: made once (EC P-256, ten years, valid for
 * localhost and 127.0.0.1; {@link CertificateDer} says why it is encoded here), then kept in the data
 * directory so its fingerprint stays the same across restarts and clients can pin it.
 */
public final class SelfSignedCertificate {

    public static final String CERT_FILE = "jfrps-cert.pem";
    public static final String KEY_FILE = "jfrps-key.pem";

    private SelfSignedCertificate() {
    }

    /** @return true when it made a new pair, false when one was already there */
    public static boolean ensure(Path dir) throws IOException {
        Path cert = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            return false;
        }
        try {
            make(dir, cert, key);
            return true;
        } catch (FileSystemException e) {
            // The JDK's message is the bare path; say what failed, why, and the two ways out.
            String why = e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            throw new IOException("cannot keep a self-signed certificate in " + dir + ": " + e.getFile() + ": " + why
                    + " (set dataDir to a directory jfrps can write, or give transport.tls.certFile and keyFile)", e);
        }
    }

    private static void make(Path dir, Path cert, Path key) throws IOException {
        Files.createDirectories(dir);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            // A positive 63-bit serial: unique enough for one server's own certificate (RFC 5280 allows 20 bytes).
            BigInteger serial = BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE);
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
            // A day back, so a client whose clock is a little behind still accepts it; ten years on.
            byte[] der = CertificateDer.selfSigned(keys, "jfrps", serial, now.minusDays(1), now.plusDays(3650));
            writePem(key, "PRIVATE KEY", keys.getPrivate().getEncoded(), true);
            writePem(cert, "CERTIFICATE", der, false);
        } catch (GeneralSecurityException e) {
            throw new IOException("could not make a self-signed certificate in " + dir + ": " + e
                    + " (give transport.tls.certFile and keyFile instead)", e);
        }
    }

    private static void writePem(Path file, String type, byte[] der, boolean secret) throws IOException {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (secret) {
            // Owner-only from creation: set afterwards, the key would be readable for a moment.
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system; the directory's permissions have to do
            }
        }
        Files.writeString(tmp, pem, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
