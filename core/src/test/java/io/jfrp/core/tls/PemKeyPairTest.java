package io.jfrp.core.tls;

import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemKeyPairTest {

    @Test
    void readsTheSelfSignedPairWithTheJdkAlone(@TempDir Path dir) throws Exception {
        SelfSignedCertificate.ensure(dir);
        PemKeyPair p = PemKeyPair.readOrNull(dir.resolve(SelfSignedCertificate.CERT_FILE),
                dir.resolve(SelfSignedCertificate.KEY_FILE));

        assertThat(p).isNotNull();
        assertThat(p.key.getAlgorithm()).isEqualTo("EC");
        assertThat(p.chain).hasSize(1);
        assertThat(p.chain[0].getSubjectX500Principal().getName()).isEqualTo("CN=jfrps");
        SslContext ctx = TlsContexts.server(dir.resolve(SelfSignedCertificate.CERT_FILE),
                dir.resolve(SelfSignedCertificate.KEY_FILE));
        assertThat(ctx.isServer()).isTrue();
    }

    @Test
    void leavesOtherKeyFormsToNetty(@TempDir Path dir) throws Exception {
        SelfSignedCertificate.ensure(dir);
        Path pkcs1 = dir.resolve("rsa.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");

        assertThat(PemKeyPair.readOrNull(dir.resolve(SelfSignedCertificate.CERT_FILE), pkcs1)).isNull();
    }

    @Test
    void aMissingFileNamesItself(@TempDir Path dir) {
        assertThatThrownBy(() -> PemKeyPair.readOrNull(dir.resolve("cert.pem"), dir.resolve("key.pem")))
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("key.pem");
    }
}
