package io.jfrp.core.log;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Lets the first event of a kind through, stays silent for the same kind for a window, then lets one
 * through again with the count it swallowed. Kinds are caller-chosen keys ("garbage", "proxy web"), some
 * holding what peers choose (runIds, proxy names): the table keeps at most {@link #MAX_KINDS}. When it is
 * full, kinds whose window has passed are dropped, and if none has, a new kind shares one overflow
 * entry: a peer that invents names costs a bounded table, and still a line a window.
 */
public final class LogLimiter {

    public static final int MAX_KINDS = 4096;
    static final String OVERFLOW = "(other kinds)";

    private final long windowNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, long[]> state = new ConcurrentHashMap<>();
    /** When the full table was last swept for stale kinds: at most once a second, not once per new kind. */
    private volatile long sweptNanos;

    public LogLimiter(Duration window, LongSupplier nanoClock) {
        this.windowNanos = window.toNanos();
        this.clock = nanoClock;
    }

    public LogLimiter(Duration window) {
        this(window, System::nanoTime);
    }

    /**
     * @return null to stay silent; otherwise the suffix for the log line: empty, or how many were
     *         suppressed since the last line of this kind
     */
    public String admit(String kind) {
        long now = clock.getAsLong();
        if (state.size() >= MAX_KINDS && !state.containsKey(kind)) {
            if (now - sweptNanos > 1_000_000_000L) {
                sweptNanos = now;
                state.entrySet().removeIf(e -> {
                    synchronized (e.getValue()) {
                        return now - e.getValue()[0] > windowNanos && e.getValue()[1] == 0;
                    }
                });
            }
            if (state.size() >= MAX_KINDS) {
                kind = OVERFLOW;
            }
        }
        long[] s = state.computeIfAbsent(kind, k -> new long[]{now - windowNanos - 1, 0});
        synchronized (s) {
            if (now - s[0] > windowNanos) {
                long suppressed = s[1];
                s[0] = now;
                s[1] = 0;
                return suppressed == 0 ? "" : " (" + suppressed + " more like this since the last report)";
            }
            s[1]++;
            return null;
        }
    }

    /**
     * The kinds whose window has passed with events swallowed and none let through since, with their
     * counts, which start again from zero: a caller that asks once a window reports a flood that stopped,
     * not only one that goes on. Kinds are as given to {@link #admit} (escape them before logging).
     */
    public java.util.Map<String, Long> overdue() {
        long now = clock.getAsLong();
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (java.util.Map.Entry<String, long[]> e : state.entrySet()) {
            long[] s = e.getValue();
            synchronized (s) {
                if (s[1] > 0 && now - s[0] > windowNanos) {
                    out.put(e.getKey(), s[1]);
                    s[0] = now;
                    s[1] = 0;
                }
            }
        }
        return out;
    }

    /** How many kinds the table holds now (at most {@link #MAX_KINDS} + 1). */
    int size() {
        return state.size();
    }
}
