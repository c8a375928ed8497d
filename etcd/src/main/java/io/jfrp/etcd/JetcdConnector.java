package io.jfrp.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.jfrp.core.centre.EtcdKeys;
import io.jfrp.core.config.EtcdSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Makes jetcd clients for a config source: its endpoints, its user, its TLS files. Found with ServiceLoader. */
public final class JetcdConnector implements EtcdKeys.Connector {

    @Override
    public EtcdKeys connect(EtcdSource source, Duration connectTimeout) throws IOException {
        ClientBuilder b = Client.builder().endpoints(source.endpoints().toArray(new String[0]))
                .connectTimeout(connectTimeout).retryMaxDelay(2000);
        if (!source.user().isEmpty()) {
            b.user(ByteSequence.from(source.user(), StandardCharsets.UTF_8))
                    .password(ByteSequence.from(source.password(), StandardCharsets.UTF_8));
        }
        if (source.trustedCaFile() != null || source.certFile() != null) {
            b.sslContext(ssl -> {
                if (source.trustedCaFile() != null) {
                    ssl.trustManager(source.trustedCaFile().toFile());
                }
                if (source.certFile() != null) {
                    ssl.keyManager(source.certFile().toFile(), source.keyFile().toFile());
                }
            });
        }
        return new JetcdKeys(b.build(), source.prefix());
    }
}
