package io.jfrp.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CertificateDerTest {

    /** Both time forms (UTCTime to 2049, GeneralizedTime from 2050) and serials with and without a sign byte. */
    @ParameterizedTest
    @CsvSource({"2026, 2036, 1", "2049, 2050, 9223372036854775807", "2030, 2130, 128"})
    void theJdkReadsAndVerifiesWhatItEncodes(int fromYear, int toYear, long serial) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        ZonedDateTime from = ZonedDateTime.of(fromYear, 12, 31, 23, 59, 58, 0, ZoneOffset.UTC);
        ZonedDateTime to = ZonedDateTime.of(toYear, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

        byte[] der = CertificateDer.selfSigned(keys, "jfrps", BigInteger.valueOf(serial), from, to);
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));

        c.verify(keys.getPublic());
        assertThat(c.getVersion()).isEqualTo(3);
        assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(c.getSerialNumber()).isEqualTo(BigInteger.valueOf(serial));
        assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
        assertThat(c.getNotBefore().toInstant()).isEqualTo(from.toInstant());
        assertThat(c.getNotAfter().toInstant()).isEqualTo(to.toInstant());
        assertThat(c.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(c.getEncoded()).isEqualTo(der);
    }
}
