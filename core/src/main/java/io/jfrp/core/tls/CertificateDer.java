package io.jfrp.core.tls;

import static io.jfrp.core.tls.DerWriter.tlv;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The DER of one self-signed X.509 v3 certificate with an EC P-256 key: issuer and subject CN=jfrps,
 * SANs localhost and 127.0.0.1, signed SHA256withECDSA. The JDK builds certificates only inside
 * keytool (a second JVM: 0.4 s of a server's start, seconds on a busy host) or in sun.security.x509,
 * which Java 17 closes to us (Netty's OpenJDK generator needs it opened, and writes no SAN); BouncyCastle
 * would add 7,800 classes to the jar for something a server does once. The fixed shape needs only
 * SEQUENCE, SET, INTEGER, OID, strings, times and a bit string: the key's own encoding gives the
 * SubjectPublicKeyInfo and the JDK's signature is already a DER ECDSA-Sig-Value.
 */
final class CertificateDer {

    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int OCTET_STRING = 0x04;
    private static final int OID = 0x06;
    private static final int UTF8_STRING = 0x0C;
    private static final int UTC_TIME = 0x17;
    private static final int GENERALIZED_TIME = 0x18;
    private static final int SAN_DNS = 0x82;
    private static final int SAN_IP = 0x87;

    /** ecdsa-with-SHA256, 1.2.840.10045.4.3.2 */
    private static final byte[] ECDSA_SHA256 = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02};
    /** commonName, 2.5.4.3 */
    private static final byte[] COMMON_NAME = {0x55, 0x04, 0x03};
    /** subjectAltName, 2.5.29.17 */
    private static final byte[] SUBJECT_ALT_NAME = {0x55, 0x1D, 0x11};

    private CertificateDer() {
    }

    static byte[] selfSigned(KeyPair keys, String commonName, BigInteger serial, ZonedDateTime notBefore,
            ZonedDateTime notAfter) throws GeneralSecurityException {
        byte[] algorithm = tlv(SEQUENCE, tlv(OID, ECDSA_SHA256));
        byte[] name = tlv(SEQUENCE, tlv(SET, tlv(SEQUENCE,
                tlv(OID, COMMON_NAME), tlv(UTF8_STRING, commonName.getBytes(StandardCharsets.UTF_8)))));
        byte[] altNames = tlv(SEQUENCE,
                tlv(SAN_DNS, "localhost".getBytes(StandardCharsets.US_ASCII)),
                tlv(SAN_IP, new byte[] {127, 0, 0, 1}));
        byte[] extensions = tlv(0xA3, tlv(SEQUENCE,
                tlv(SEQUENCE, tlv(OID, SUBJECT_ALT_NAME), tlv(OCTET_STRING, altNames))));
        byte[] tbs = tlv(SEQUENCE,
                tlv(0xA0, tlv(INTEGER, new byte[] {2})), // v3
                tlv(INTEGER, serial.toByteArray()),
                algorithm,
                name,
                tlv(SEQUENCE, time(notBefore), time(notAfter)),
                name,
                keys.getPublic().getEncoded(),
                extensions);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1]; // leading 0: no unused bits
        System.arraycopy(signature, 0, bits, 1, signature.length);
        return tlv(SEQUENCE, tbs, algorithm, tlv(BIT_STRING, bits));
    }

    /** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
    private static byte[] time(ZonedDateTime t) {
        ZonedDateTime utc = t.withZoneSameInstant(ZoneOffset.UTC);
        boolean utcTime = utc.getYear() < 2050;
        String text = utc.format(DateTimeFormatter.ofPattern(utcTime ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'"));
        return tlv(utcTime ? UTC_TIME : GENERALIZED_TIME, text.getBytes(StandardCharsets.US_ASCII));
    }
}
