package io.jfrp.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.jfrp.core.centre.EtcdKeys;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** The keys under one prefix, through one jetcd client. */
final class JetcdKeys implements EtcdKeys {

    private final Client client;
    private final ByteSequence prefix;

    JetcdKeys(Client client, String prefix) {
        this.client = client;
        this.prefix = ByteSequence.from(prefix, StandardCharsets.UTF_8);
    }

    @Override
    public Snapshot read(Duration timeout) throws Exception {
        GetResponse r = client.getKVClient().get(prefix, GetOption.builder().isPrefix(true).build())
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, String> values = new TreeMap<>();
        for (KeyValue kv : r.getKvs()) {
            values.put(text(kv.getKey()), text(kv.getValue()));
        }
        return new Snapshot(r.getHeader().getRevision(), values);
    }

    @Override
    public EtcdKeys.Watch watch(long fromRevision, Watcher watcher) {
        io.etcd.jetcd.Watch.Watcher w = client.getWatchClient().watch(prefix,
                WatchOption.builder().isPrefix(true).withRevision(fromRevision).build(),
                io.etcd.jetcd.Watch.listener(r -> {
                    List<Change> changes = new ArrayList<>(r.getEvents().size());
                    for (WatchEvent e : r.getEvents()) {
                        KeyValue kv = e.getKeyValue();
                        changes.add(new Change(text(kv.getKey()),
                                e.getEventType() == WatchEvent.EventType.DELETE ? null : text(kv.getValue()),
                                kv.getModRevision()));
                    }
                    watcher.changed(changes);
                }, watcher::failed, watcher::completed));
        return w::close;
    }

    @Override
    public void close() {
        client.close();
    }

    private static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
