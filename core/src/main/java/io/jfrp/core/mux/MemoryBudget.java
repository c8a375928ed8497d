package io.jfrp.core.mux;

import io.netty.util.internal.PlatformDependent;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of stream data one side may hold for all its sessions together, and for each one:
 * data that arrived for a local socket that has not taken it yet, and data read from a local socket
 * that waits for the peer's credit. A stream's window bounds what it alone can pin, but nothing bounds
 * the sum of thousands of stalled streams; this does. Windows only grow while a session and the
 * process are under half their limits, and past a limit the session resets its largest stalled
 * stream (see {@link MuxSession}), so memory runs out for no one.
 * <p>
 * One instance per server or client (in a real deployment, per process), shared by its sessions on
 * every event loop; the count is one atomic, touched once per frame.
 */
public final class MemoryBudget {

    private final long processLimit;
    private final long sessionLimit;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(long processLimit, long sessionLimit) {
        if (processLimit <= 0 || sessionLimit <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + processLimit + ", " + sessionLimit);
        }
        this.processLimit = processLimit;
        this.sessionLimit = Math.min(sessionLimit, processLimit);
    }

    /**
     * Sized from what this JVM may allocate: stream data lives in direct buffers, so half the direct
     * memory limit (the heap's size unless set) for all sessions, and a quarter for any one of them,
     * so that one stalled client leaves room for the others.
     */
    public static MemoryBudget forThisJvm() {
        long direct = PlatformDependent.maxDirectMemory();
        long limit = direct > 0 ? direct : Runtime.getRuntime().maxMemory();
        return new MemoryBudget(limit / 2, limit / 4);
    }

    public long processLimit() {
        return processLimit;
    }

    public long sessionLimit() {
        return sessionLimit;
    }

    /** Bytes held now by every session of this budget. */
    public long used() {
        return used.get();
    }

    void charge(long n) {
        used.addAndGet(n);
    }

    void release(long n) {
        used.addAndGet(-n);
    }

    /** Under half the process limit: windows may grow. */
    boolean roomToGrow() {
        return used.get() < processLimit / 2;
    }
}
