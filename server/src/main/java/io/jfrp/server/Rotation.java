package io.jfrp.server;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** How a load-balancing group hands out users: to its members in turn, passing over those whose client is away. */
final class Rotation {

    private Rotation() {
    }

    /**
     * The next member in turn that is {@code ready}; when none is, the next in turn (which holds the user
     * until its client is back). {@code members} is not empty.
     */
    static <T> T next(List<T> members, AtomicInteger turn, Predicate<T> ready) {
        int n = members.size();
        int start = Math.floorMod(turn.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            T m = members.get((start + i) % n);
            if (ready.test(m)) {
                return m;
            }
        }
        return members.get(start);
    }

    /** A member's session takes users now (a test's route has no session: ready). */
    static boolean attached(ClientSession s) {
        return s == null || s.isAttached() && !s.isClosed();
    }
}
