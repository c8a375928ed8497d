package io.jfrp.client;

import io.jfrp.core.lifecycle.LifecycleEvent;
import io.jfrp.core.lifecycle.LifecycleListener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per proxy, what the client's streams did, kept from the lifecycle events for its metrics: streams open
 * now, streams that ended broken, and bytes each way. "In" is what users sent (what reached the local
 * service), "out" what the service sent back. Events arrive on the control loop; reads come from the
 * admin API's thread.
 */
final class ClientStreams implements LifecycleListener {

    static final class Counts {
        final AtomicLong open = new AtomicLong();
        final AtomicLong broken = new AtomicLong();
        final AtomicLong in = new AtomicLong();
        final AtomicLong out = new AtomicLong();
    }

    private final Map<String, Counts> byProxy = new ConcurrentHashMap<>();

    @Override
    public void on(LifecycleEvent event) {
        if (event instanceof LifecycleEvent.StreamOpened e) {
            counts(e.proxy()).open.incrementAndGet();
        } else if (event instanceof LifecycleEvent.StreamClosed e) {
            Counts c = counts(e.proxy());
            c.open.decrementAndGet();
            c.in.addAndGet(e.bytesIn());
            c.out.addAndGet(e.bytesOut());
            if (e.broken()) {
                c.broken.incrementAndGet();
            }
        }
    }

    private Counts counts(String proxy) {
        return byProxy.computeIfAbsent(proxy, p -> new Counts());
    }

    /** The counts of {@code proxy} (its name as the server qualifies it, user prefix included); zeros if none yet. */
    Counts of(String proxy) {
        Counts c = byProxy.get(proxy);
        return c == null ? new Counts() : c;
    }
}
