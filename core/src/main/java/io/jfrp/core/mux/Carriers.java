package io.jfrp.core.mux;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The carriers one session's frames travel on: one, except while a client moves its session to a better
 * channel without breaking it (make before break). New streams go on the newest; a stream stays on the
 * carrier it began on, so moving never reorders its frames. A retired carrier takes no new streams, and
 * its owner learns when the last of its streams ended. Touched on the session's loop only.
 */
final class Carriers {

    /** Attached carriers, oldest first; rarely more than two. */
    private final List<Carrier> attached = new ArrayList<>(2);
    /** Retired carriers, with what runs once their last stream ended. */
    private final Map<Carrier, Runnable> retired = new IdentityHashMap<>(2);
    private Carrier newest;

    /** Where this side's new streams go; null while none is attached. */
    Carrier newest() {
        return newest;
    }

    boolean isEmpty() {
        return newest == null;
    }

    /** @return false when {@code c} was attached already */
    boolean add(Carrier c) {
        if (has(c)) {
            return false;
        }
        attached.add(c);
        newest = c;
        return true;
    }

    /** @return false when {@code c} was not attached; else the newest of those left takes new streams */
    boolean remove(Carrier c) {
        if (!attached.remove(c)) {
            return false;
        }
        retired.remove(c);
        newest = attached.isEmpty() ? null : attached.get(attached.size() - 1);
        return true;
    }

    /** Whether {@code c} is attached (one comparison in the common case of one carrier). */
    boolean has(Carrier c) {
        return c == newest || (attached.size() > 1 && attached.contains(c));
    }

    int size() {
        return attached.size();
    }

    void flushAll() {
        for (int i = 0; i < attached.size(); i++) {
            attached.get(i).flush();
        }
    }

    void retire(Carrier c, Runnable drained) {
        if (has(c)) {
            retired.put(c, drained);
        }
    }

    boolean anyRetired() {
        return !retired.isEmpty();
    }

    /** {@code c} carries no stream any more: if it is retired, what its owner asked to run, once; else null. */
    Runnable drained(Carrier c) {
        return retired.remove(c);
    }

    boolean isRetired(Carrier c) {
        return retired.containsKey(c);
    }
}
