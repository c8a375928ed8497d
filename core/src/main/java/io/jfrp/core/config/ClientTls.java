package io.jfrp.core.config;

import java.nio.file.Path;

/**
 * How the client secures its channel. Without a pin or a CA the server's certificate is accepted as
 * frp does, and its fingerprint is logged so the operator can pin it.
 */
public record ClientTls(boolean enable, Path certFile, Path keyFile, Path trustedCaFile, String serverName,
                        String serverFingerprint) {
}
