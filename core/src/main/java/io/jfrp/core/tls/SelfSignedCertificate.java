package io.jfrp.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * The certificate a server uses when the operator gave none: made once, then kept in the data directory
 * so its fingerprint stays the same across restarts and clients can pin it. The JDK has no public API
 * to build a certificate, but it ships keytool, which does; BouncyCastle would cost every process its
 * 7,800 jar entries for a task done once in a server's life. keytool writes a JKS store, a form
 * deprecated for keeping keys (the file lives for a moment in a directory only its owner can open):
 * reading a PKCS#12 store loads its PBKDF2 decryption and ICU's name normaliser into the server, ~100
 * classes (~1 MB for the server's life) that nothing else there needs.
 */
public final class SelfSignedCertificate {

    public static final String CERT_FILE = "jfrps-cert.pem";
    public static final String KEY_FILE = "jfrps-key.pem";
    private static final String ALIAS = "jfrps";
    private static final String PASSWORD_VARIABLE = "JFRP_KEYTOOL_PASSWORD";

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
        Path work = privateTempDir(dir);
        try {
            Path store = work.resolve("jfrps.jks");
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            char[] password = HexFormat.of().formatHex(secret).toCharArray();
            runKeytool(store, password);
            KeyStore ks = KeyStore.getInstance("JKS");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, password);
            }
            PrivateKey privateKey = (PrivateKey) ks.getKey(ALIAS, password);
            Certificate certificate = ks.getCertificate(ALIAS);
            writePem(key, "PRIVATE KEY", privateKey.getEncoded(), true);
            writePem(cert, "CERTIFICATE", certificate.getEncoded(), false);
        } catch (GeneralSecurityException e) {
            throw new IOException("could not read the self-signed certificate keytool made in " + dir + ": " + e, e);
        } finally {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(work)) {
                for (Path f : files) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    /** EC P-256, ten years, valid for localhost and 127.0.0.1, as before; the password by environment. */
    private static void runKeytool(Path store, char[] password) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        ProcessBuilder pb = new ProcessBuilder(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=jfrps", "-ext", "san=dns:localhost,ip:127.0.0.1", "-startdate", "-1d",
                "-validity", "3650", "-storetype", "JKS", "-keystore", store.toString(),
                "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE)
                .redirectErrorStream(true);
        pb.environment().put(PASSWORD_VARIABLE, new String(password));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + keytool + " to make a self-signed certificate (" + e.getMessage()
                    + "); set transport.tls.certFile and transport.tls.keyFile instead", e);
        }
        try {
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(keytool + " could not make a self-signed certificate: "
                        + new String(output, StandardCharsets.UTF_8).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool made a self-signed certificate", e);
        } finally {
            p.destroyForcibly();
        }
    }

    private static Path privateTempDir(Path dir) throws IOException {
        try {
            return Files.createTempDirectory(dir, ".keytool-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempDirectory(dir, ".keytool-");
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
