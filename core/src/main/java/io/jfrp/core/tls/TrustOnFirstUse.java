package io.jfrp.core.tls;

import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * A client's trust in a server it has neither a pin nor a CA for: the certificate seen first is kept in
 * {@link KnownServers} and required from then on, during the handshake, so a client never sends its
 * login proof to a server that is not the one it met first (a proof relayed by someone in between would
 * log them in). The server is named as the client dialled it: SNI name (or address) and port.
 */
final class TrustOnFirstUse extends SimpleTrustManagerFactory {

    private static final Logger log = LoggerFactory.getLogger(TrustOnFirstUse.class);

    private final KnownServers known;

    TrustOnFirstUse(KnownServers known) {
        this.known = known;
    }

    @Override
    protected void engineInit(KeyStore keyStore) {
    }

    @Override
    protected void engineInit(ManagerFactoryParameters params) {
    }

    @Override
    protected TrustManager[] engineGetTrustManagers() {
        return new TrustManager[]{new Manager()};
    }

    private final class Manager extends X509ExtendedTrustManager {

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain, engine == null ? null : engine.getPeerHost(), engine == null ? -1 : engine.getPeerPort());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("jfrp checks servers on its own event loops only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("no server name to check the certificate for");
        }

        private void check(X509Certificate[] chain, String host, int port) throws CertificateException {
            if (chain == null || chain.length == 0 || host == null || port <= 0) {
                throw new CertificateException("no certificate, or no server name to check it for");
            }
            String fingerprint = Fingerprints.sha256(chain[0]);
            KnownServers.Verdict v;
            try {
                v = known.check(host, port, fingerprint);
            } catch (IOException e) {
                throw new CertificateException("cannot read or write " + known.file() + ": " + e.getMessage(), e);
            }
            if (v instanceof KnownServers.Verdict.FirstUse) {
                log.info("server {}:{}: certificate SHA-256 {} trusted on first use; kept in {}", host, port, fingerprint,
                        known.file());
            } else if (v instanceof KnownServers.Verdict.Changed c) {
                throw new CertificateException("server " + host + ":" + port + " presented certificate SHA-256 "
                        + fingerprint + ", not " + c.keptFingerprint() + " which " + known.file() + ":" + c.line()
                        + " keeps for it since " + c.since() + ": someone may be in between; if the server's "
                        + "certificate changed on purpose, delete that line");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client's trust manager checks servers only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
