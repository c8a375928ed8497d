package io.jfrp.core.centre;

import io.jfrp.core.config.EtcdSource;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the config centre needs of an etcd client: every key under a prefix, a watch on them, and an end.
 * Implemented on jetcd by module jfrp-etcd, which {@link EtcdLibrary} loads only when a config centre is used.
 */
public interface EtcdKeys extends AutoCloseable {

    /** The keys under the prefix and their values as of {@code revision}. */
    record Snapshot(long revision, Map<String, String> values) {
    }

    /** One change a watch saw: {@code value} null when the key was deleted. */
    record Change(String key, String value, long revision) {
    }

    /** Told of a watch's changes and its end, on the client's own threads. */
    interface Watcher {
        void changed(List<Change> changes);

        void failed(Throwable why);

        void completed();
    }

    /** A watch, until closed. */
    interface Watch {
        void close();
    }

    /** The keys under the prefix now: @throws Exception when etcd does not answer within {@code timeout} */
    Snapshot read(Duration timeout) throws Exception;

    /** Watches the keys under the prefix from {@code fromRevision} on. */
    Watch watch(long fromRevision, Watcher watcher);

    @Override
    void close();

    /** Makes clients; found with {@link java.util.ServiceLoader}. */
    interface Connector {
        /** @throws IOException when the source's TLS files cannot be read */
        EtcdKeys connect(EtcdSource source, Duration connectTimeout) throws IOException;
    }
}
