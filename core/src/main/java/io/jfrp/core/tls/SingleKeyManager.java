package io.jfrp.core.tls;

import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * Offers the one key and certificate chain a side was configured with. Given a key and a chain, Netty
 * puts them into a PKCS#12 key store (encrypting the key with PBKDF2 and decrypting it again) and
 * builds the JDK's SunX509 key manager on it, which canonicalises the certificates' names through
 * ICU's normaliser: ~100 classes, ~0.7 MB of every process for its whole life, to hand BoringSSL a key
 * we already hold. Written here because neither Netty nor the JDK makes a key manager from a key and
 * a chain without a key store.
 */
final class SingleKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "jfrp";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    SingleKeyManager(PrivateKey key, X509Certificate[] chain) {
        this.key = key;
        this.chain = chain.clone();
    }

    /** A factory Netty's OpenSSL contexts take as it is, and whose key material they encode once, not per handshake. */
    KeyManagerFactory factory() {
        return new OpenSslCachingX509KeyManagerFactory(new KeyManagerFactoryWrapper(this));
    }

    /**
     * Whether the key serves a handshake that asks for {@code keyType}: "EC" or "RSA", or "EC_RSA"
     * style (key algorithm, then the signature of the certificate), as the JDK's key managers read it.
     */
    boolean fits(String keyType) {
        if (keyType == null) {
            return false;
        }
        int cut = keyType.indexOf('_');
        return (cut < 0 ? keyType : keyType.substring(0, cut)).equals(key.getAlgorithm());
    }

    private String aliasIfFits(String... keyTypes) {
        if (keyTypes != null) {
            for (String t : keyTypes) {
                if (fits(t)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return fits(keyType) ? new String[]{ALIAS} : null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasIfFits(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasIfFits(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return fits(keyType) ? new String[]{ALIAS} : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasIfFits(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasIfFits(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
