package io.jfrp.core.config;

import java.nio.file.Path;

/**
 * How the client secures its channel. Without a pin or a CA the server's certificate is accepted as
 * frp does, and its fingerprint is logged so the operator can pin it; or, with {@code trustOnFirstUse},
 * the first certificate a server presented is kept and required from then on (known_servers).
 */
public record ClientTls(boolean enable, Path certFile, Path keyFile, Path trustedCaFile, String serverName,
                        String serverFingerprint, boolean trustOnFirstUse) {

    public ClientTls(boolean enable, Path certFile, Path keyFile, Path trustedCaFile, String serverName,
                     String serverFingerprint) {
        this(enable, certFile, keyFile, trustedCaFile, serverName, serverFingerprint, false);
    }

    /** Whether the server's certificate is checked against nothing: no pin, no CA, no first use kept. */
    public boolean unverified() {
        return enable && (serverFingerprint == null || serverFingerprint.isEmpty()) && trustedCaFile == null
                && !trustOnFirstUse;
    }
}
