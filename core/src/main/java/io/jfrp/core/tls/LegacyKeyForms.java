package io.jfrp.core.tls;

import static io.jfrp.core.tls.DerWriter.tlv;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Wraps the two older private-key forms that openssl writes (PKCS#1 "RSA PRIVATE KEY", SEC1
 * "EC PRIVATE KEY") into the PKCS#8 structure the JDK reads. Written here, not taken from a library:
 * BouncyCastle reads them, but it is 7,800 of a 12,600-entry jar whose directory every process keeps on
 * its heap, for what is one fixed DER wrapper (RFC 5208 around RFC 8017's or RFC 5915's structure).
 */
final class LegacyKeyForms {

    /** AlgorithmIdentifier { rsaEncryption, NULL } */
    private static final byte[] RSA_ALGORITHM = HexFormat.of().parseHex("300d06092a864886f70d0101010500");
    /** OID 1.2.840.10045.2.1, id-ecPublicKey */
    private static final byte[] EC_PUBLIC_KEY_OID = HexFormat.of().parseHex("06072a8648ce3d0201");
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private LegacyKeyForms() {
    }

    static byte[] pkcs8FromPkcs1(byte[] rsaPrivateKey) {
        return sequence(VERSION_0, RSA_ALGORITHM, tlv(0x04, rsaPrivateKey));
    }

    /**
     * SEC1's ECPrivateKey names its curve in the optional [0] field, which PKCS#8 moves into the
     * AlgorithmIdentifier; the structure itself goes in unchanged.
     *
     * @throws IllegalArgumentException when the key is not DER or names no curve
     */
    static byte[] pkcs8FromSec1(byte[] ecPrivateKey) {
        Der outer = new Der(ecPrivateKey, 0);
        if (outer.tag != 0x30) {
            throw new IllegalArgumentException("not a DER SEQUENCE");
        }
        int at = outer.contentStart;
        while (at < outer.end) {
            Der field = new Der(ecPrivateKey, at);
            if (field.tag == 0xa0) {
                byte[] curve = Arrays.copyOfRange(ecPrivateKey, field.contentStart, field.end);
                return sequence(VERSION_0, sequence(EC_PUBLIC_KEY_OID, curve), tlv(0x04, ecPrivateKey));
            }
            at = field.end;
        }
        throw new IllegalArgumentException("it does not name its curve");
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, parts);
    }

    /** One DER element's tag and bounds; definite lengths only, as DER requires. */
    private static final class Der {
        final int tag;
        final int contentStart;
        final int end;

        Der(byte[] b, int at) {
            if (at + 2 > b.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            tag = b[at] & 0xff;
            int len = b[at + 1] & 0xff;
            int pos = at + 2;
            if (len >= 0x80) {
                int bytes = len & 0x7f;
                if (bytes == 0 || bytes > 4 || pos + bytes > b.length) {
                    throw new IllegalArgumentException("bad DER length");
                }
                len = 0;
                for (int i = 0; i < bytes; i++) {
                    len = (len << 8) | (b[pos++] & 0xff);
                }
            }
            if (len < 0 || pos + len > b.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            contentStart = pos;
            end = pos + len;
        }
    }
}
