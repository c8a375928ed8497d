package io.jfrp.core.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives every {@link LifecycleEvent} of a server or a client, on the event loop of the session it
 * belongs to: it must be quick and must not block.
 */
@FunctionalInterface
public interface LifecycleListener {

    LifecycleListener NONE = e -> { };

    void on(LifecycleEvent event);

    /**
     * Every listener in turn. One that throws is logged at its 1st, 2nd, 4th, 8th... failure and does not keep the others,
     * or the session that reported the event, from going on.
     */
    static LifecycleListener all(List<LifecycleListener> listeners) {
        List<LifecycleListener> copy = List.copyOf(listeners);
        AtomicLong failures = new AtomicLong();
        return e -> {
            for (LifecycleListener l : copy) {
                try {
                    l.on(e);
                } catch (RuntimeException ex) {
                    long n = failures.incrementAndGet();
                    if (Long.bitCount(n) == 1) {
                        Logger log = LoggerFactory.getLogger(LifecycleListener.class);
                        log.warn("a lifecycle listener failed on {} ({} failures so far)", e.getClass().getSimpleName(), n, ex);
                    }
                }
            }
        };
    }
}
