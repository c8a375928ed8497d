package io.jfrp.core.config;

import io.jfrp.core.tls.TlsContexts;

import java.nio.file.Path;

/**
 * transport.tls.certFile and keyFile, on either side: both or neither, and a pair TLS can serve with
 * (readable PEM, an unencrypted key, the key of that certificate). Said at the key with its line, by
 * `verify` as by a start, rather than as a handshake error on every connection later.
 */
final class KeyPairCheck {

    private static final String CERT = "transport.tls.certFile";
    private static final String KEY = "transport.tls.keyFile";

    private KeyPairCheck() {
    }

    static void check(ConfigSection s, Path cert, Path key) {
        if (s.has(CERT) != s.has(KEY)) {
            String present = s.has(CERT) ? CERT : KEY;
            s.problem(present.equals(CERT) ? KEY : CERT, s.node(present), "missing (expected: certFile and keyFile together)");
            return;
        }
        if (cert != null && key != null) {
            String problem = TlsContexts.pairProblem(cert, key);
            if (problem != null) {
                s.problem(KEY, s.node(KEY), problem);
            }
        }
    }
}
