package io.jfrp.core.mux;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * One stream's share of its proxy's bandwidth limit ({@link ByteRate}): whether bytes may go now, and
 * when not, one wake-up of the stream for when they may. On the session's loop.
 */
final class StreamPacer {

    private final ByteRate rate;
    private final EventExecutor loop;
    private final Runnable wake;
    /** The wake-up while one is due. */
    private ScheduledFuture<?> due;

    StreamPacer(ByteRate rate, EventExecutor loop, Runnable wake) {
        this.rate = rate;
        this.loop = loop;
        this.wake = wake;
    }

    /** Whether bytes may go now; when not, the stream is woken when they may. */
    boolean allows() {
        if (rate.available()) {
            return true;
        }
        if (due == null) {
            due = loop.schedule(this::woke, rate.nanosUntilAvailable(), TimeUnit.NANOSECONDS);
        }
        return false;
    }

    private void woke() {
        due = null; // this task is not done until it returns: the next wait must be scheduled anew
        wake.run();
    }

    long allowance() {
        return rate.allowance();
    }

    void spend(long bytes) {
        rate.spend((int) Math.min(Integer.MAX_VALUE, bytes));
    }

    void stop() {
        if (due != null) {
            due.cancel(false);
            due = null;
        }
    }
}
