package io.jfrp.client;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.log.PeerText;
import io.jfrp.protocol.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the client says about the server it reached, once and not at every reconnect: its certificate
 * (accepted unchecked, matching known_servers, or verified) and the protocol features it lacks.
 * Called on the control loop.
 */
final class ServerNotices {

    private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);

    private final ClientConfig config;
    private String certificateReported;
    private String featuresReported;

    ServerNotices(ClientConfig config) {
        this.config = config;
    }

    void certificate(String fingerprint) {
        if (fingerprint.equals(certificateReported)) {
            return;
        }
        certificateReported = fingerprint;
        if (config.tls().unverified()) {
            log.info("server certificate SHA-256 {} accepted without verification; pin it with "
                    + "transport.tls.serverFingerprint", fingerprint);
        } else if (config.tls().trustOnFirstUse() && config.tls().serverFingerprint().isEmpty()
                && config.tls().trustedCaFile() == null) {
            log.info("server certificate SHA-256 {} is the one {} keeps", fingerprint, config.knownServersFile());
        } else {
            log.info("server certificate SHA-256 {} verified", fingerprint);
        }
    }

    /** What the server lacks of this client's features: it works, with what both have. */
    void features(String serverVersion, int lacking) {
        String key = serverVersion + "/" + lacking;
        if (lacking != 0 && !key.equals(featuresReported)) {
            featuresReported = key;
            log.info("server jfrps {} lacks {}: this client does without", PeerText.escape(serverVersion),
                    Wire.featureNames(lacking));
        }
    }
}
