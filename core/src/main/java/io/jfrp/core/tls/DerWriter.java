package io.jfrp.core.tls;

import java.io.ByteArrayOutputStream;

/**
 * DER's tag-length-value for the few fixed structures jfrp writes itself (a PKCS#8 wrapper around older key
 * forms, the self-signed certificate): definite lengths, short form below 128 bytes, as DER requires.
 */
final class DerWriter {

    private DerWriter() {
    }

    /** One element of {@code tag} whose content is {@code parts}, in order. */
    static byte[] tlv(int tag, byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 6);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
