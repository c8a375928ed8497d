package io.jfrp.core.tls;

import io.netty.handler.ssl.util.TrustManagerFactoryWrapper;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The server's trust: it asks clients for no certificate, so it trusts none. Without a trust manager
 * of its own, Netty's OpenSSL server context loads the JDK's whole CA store (~140 certificates, ~1 MB
 * of heap for the server's life) to verify client certificates it never requests; an empty key store
 * behind the JDK's PKIX trust manager would still load the key-store and PKIX classes for nothing.
 */
final class NoClientCertificates extends X509ExtendedTrustManager {

    static TrustManagerFactory factory() {
        return new TrustManagerFactoryWrapper(new NoClientCertificates());
    }

    private static CertificateException refused() {
        return new CertificateException("jfrps accepts no client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw refused();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw refused();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw refused();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw refused();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw refused();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw refused();
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
