package io.jfrp.core.mux;

import java.util.function.IntPredicate;

/**
 * The stream ids one side of a session gives out: odd on the side that opens streams, even on the
 * other. Ids belong to the session, not to a channel: they go on across carriers. They run through the
 * positive numbers and start again at the bottom (a busy tunnel opens 2^30 streams in two days at 6,000
 * a second), skipping any still in use: a live stream's id is never given to another.
 */
final class StreamIds {

    private int next;
    /** The highest id; the whole positive range but in tests of what happens when ids run out. */
    private int max = Integer.MAX_VALUE;

    StreamIds(boolean odd) {
        this.next = odd ? 1 : 2;
    }

    /** @param live how many streams are live; @param inUse whether an id is one of theirs. @return 0 when every id is */
    int allocate(int live, IntPredicate inUse) {
        for (int tries = 0; tries <= live; tries++) {
            int id = next;
            next = id > max - 2 ? (id & 1) == 1 ? 1 : 2 : id + 2;
            if (!inUse.test(id)) {
                return id;
            }
        }
        return 0;
    }

    /** Where the next search starts: tests of what happens when ids run out. */
    void startAt(int id) {
        next = id;
    }

    /** A small id space, so a test can use it all up. */
    void limit(int maxId) {
        max = maxId;
    }
}
