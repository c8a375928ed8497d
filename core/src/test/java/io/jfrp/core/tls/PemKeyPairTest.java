package io.jfrp.core.tls;

import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.net.ssl.SSLException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemKeyPairTest {

    @Test
    void makesASelfSignedPairOnceAndReadsItWithTheJdk(@TempDir Path dir) throws Exception {
        assertThat(SelfSignedCertificate.ensure(dir)).isTrue();
        Path cert = dir.resolve(SelfSignedCertificate.CERT_FILE);
        Path key = dir.resolve(SelfSignedCertificate.KEY_FILE);
        PemKeyPair p = PemKeyPair.read(cert, key);

        assertThat(p.key.getAlgorithm()).isEqualTo("EC");
        assertThat(p.chain[0].getSubjectX500Principal().getName()).isEqualTo("CN=jfrps");
        assertThat(p.chain[0].getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
                .contains("localhost", "127.0.0.1");
        assertThat(p.chain[0].getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3000)));
        assertThat(p.chain[0].getNotBefore().toInstant()).isBefore(Instant.now());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertSigns(p);
        assertThat(TlsContexts.server(cert, key).isServer()).isTrue();

        String fingerprint = Fingerprints.sha256(cert);
        assertThat(SelfSignedCertificate.ensure(dir)).isFalse();
        assertThat(Fingerprints.sha256(cert)).isEqualTo(fingerprint);
        try (var left = Files.list(dir)) {
            assertThat(left.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(SelfSignedCertificate.CERT_FILE, SelfSignedCertificate.KEY_FILE);
        }
    }

    @Test
    void aDataDirThatCannotBeWrittenIsNamedWithTheWaysOut(@TempDir Path dir) throws Exception {
        Path underAFile = Files.writeString(dir.resolve("plain-file"), "x").resolve("jfrps-data");
        Path inProc = Path.of("/proc/jfrp-no-such-dir/jfrps-data");

        for (Path data : new Path[]{underAFile, inProc}) {
            assertThatThrownBy(() -> SelfSignedCertificate.ensure(data))
                    .hasMessageStartingWith("cannot keep a self-signed certificate in " + data + ": ")
                    .hasMessageEndingWith("(set dataDir to a directory jfrps can write, or give transport.tls.certFile and keyFile)");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "rsa-pkcs1.key, rsa.crt, RSA",
        "ec-sec1.key, ec.crt, EC",
        "ec384-sec1-with-params.key, ec384.crt, EC",
    })
    void readsTheOlderKeyFormsOpensslWrites(String keyName, String certName, String algorithm) throws Exception {
        PemKeyPair p = PemKeyPair.read(fixture(certName), fixture(keyName));

        assertThat(p.key.getAlgorithm()).isEqualTo(algorithm);
        assertSigns(p);
        SslContext ctx = TlsContexts.server(fixture(certName), fixture(keyName));
        assertThat(ctx.isServer()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"rsa.crt, ec-sec1.key", "ec.crt, ec384-sec1-with-params.key", "ec384.crt, ec-sec1.key"})
    void aKeyOfAnotherCertificateIsRefusedNamingBothFiles(String certName, String keyName) throws Exception {
        assertThatThrownBy(() -> PemKeyPair.read(fixture(certName), fixture(keyName)))
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("the key file " + fixture(keyName) + " does not belong to the certificate file "
                        + fixture(certName));
        assertThatThrownBy(() -> TlsContexts.server(fixture(certName), fixture(keyName)))
                .hasMessageContaining("does not belong");
    }

    @Test
    void anEncryptedKeyIsRefusedWithTheWayOut(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("enc.pem");
        Files.writeString(key, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemKeyPair.read(fixture("rsa.crt"), key))
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("enc.pem")
                .hasMessageContaining("encrypted")
                .hasMessageContaining("openssl pkey");
    }

    @Test
    void aFileWithoutAKeyOrWithABrokenOneSaysSo(@TempDir Path dir) throws Exception {
        Path none = dir.resolve("none.pem");
        Files.copy(fixture("rsa.crt"), none);
        Path broken = dir.resolve("broken.pem");
        Files.writeString(broken, "-----BEGIN EC PRIVATE KEY-----\nMAUCAQE=\n-----END EC PRIVATE KEY-----\n",
                StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> PemKeyPair.read(fixture("rsa.crt"), none))
                .isInstanceOf(SSLException.class).hasMessageContaining("none.pem").hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> PemKeyPair.read(fixture("ec.crt"), broken))
                .isInstanceOf(SSLException.class).hasMessageContaining("broken.pem").hasMessageContaining("DER");
    }

    @Test
    void aMissingFileNamesItself(@TempDir Path dir) {
        assertThatThrownBy(() -> PemKeyPair.read(dir.resolve("cert.pem"), dir.resolve("key.pem")))
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("key.pem");
        assertThatThrownBy(() -> PemKeyPair.read(dir.resolve("cert.pem"), fixture("ec-sec1.key")))
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("cert.pem");
    }

    /** The key read is the certificate's: what it signs, the certificate's public key verifies. */
    private static void assertSigns(PemKeyPair p) throws Exception {
        String alg = p.key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] data = "jfrp".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(alg);
        signer.initSign(p.key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(alg);
        verifier.initVerify(p.chain[0].getPublicKey());
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(PemKeyPairTest.class.getResource("/tls/" + name).toURI());
    }
}
