package io.jfrp.core.log;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Lets the first event of a kind through, stays silent for the same kind for a window, then lets one
 * through again with the count it swallowed. Kinds are caller-chosen keys ("garbage", "proxy web").
 */
public final class LogLimiter {

    private final long windowNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, long[]> state = new ConcurrentHashMap<>();

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
}
