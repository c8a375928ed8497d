package io.jfrp.core.net;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What a process's listeners log when accepting fails: one line when the first fails (naming the port,
 * the cause and the file limit), then while failures go on at most one summary a minute, then one line
 * once accepting has worked for {@link #QUIET_NANOS} with no failure anywhere. A process out of
 * descriptors fails on every port at once, and recovers and fails again by the millisecond: this keeps
 * that to a handful of lines (before, 5 million lines in 28 s). Thread-safe: listeners run on several
 * loops; the set of failing listeners is bounded by the listeners there are.
 */
final class AcceptFailureLog {

    private static final Logger log = LoggerFactory.getLogger(AcceptFailureLog.class);
    static final long SUMMARY_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final LongSupplier clock;
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private final Set<SocketAddress> failing = new HashSet<>();
    private boolean reported;
    private long failuresSinceLine;
    private long failuresInAll;
    private long firstFailure;
    private long lastFailure;
    private long lineAt;

    AcceptFailureLog() {
        this(System::nanoTime, log::warn, log::info);
    }

    AcceptFailureLog(LongSupplier clock, Consumer<String> warn, Consumer<String> info) {
        Descriptors.now(); // its limit is read now, while files can be opened
        this.clock = clock;
        this.warn = warn;
        this.info = info;
    }

    synchronized void failed(SocketAddress listener, Throwable cause, long pauseMillis) {
        failing.add(listener);
        failuresSinceLine++;
        failuresInAll++;
        long now = clock.getAsLong();
        lastFailure = now;
        if (!reported) {
            reported = true;
            firstFailure = now;
            lineAt = now;
            failuresSinceLine = 0;
            failuresInAll = 1;
            warn.accept("cannot accept connections on " + listener + ": " + cause.getMessage() + files()
                    + "; accepting pauses and is retried, " + pauseMillis + " ms and up to every "
                    + AcceptBackoff.MAX_PAUSE_MILLIS + " ms, on every port that fails (one summary a minute)");
        } else if (now - lineAt >= SUMMARY_NANOS) {
            warn.accept("accepting still fails: " + failuresSinceLine + " failures on " + failing.size()
                    + (failing.size() == 1 ? " port" : " ports") + " in the last "
                    + TimeUnit.NANOSECONDS.toSeconds(now - lineAt) + " s" + files());
            lineAt = now;
            failuresSinceLine = 0;
        }
    }

    /**
     * A listener that failed accepted a connection.
     * @return whether it should go on telling (the process has not been quiet long enough to say it recovered)
     */
    synchronized boolean accepted() {
        if (!reported) {
            return false;
        }
        long now = clock.getAsLong();
        if (now - lastFailure < QUIET_NANOS) {
            return true;
        }
        reported = false;
        info.accept("accepting connections again, on every port (" + failuresInAll + " failures on "
                + failing.size() + (failing.size() == 1 ? " port" : " ports") + " over "
                + TimeUnit.NANOSECONDS.toSeconds(lastFailure - firstFailure) + " s)");
        failing.clear();
        return false;
    }

    /** A listener closed: it is no longer one that fails. */
    synchronized void closed(SocketAddress listener) {
        failing.remove(listener);
    }

    private static String files() {
        Descriptors fd = Descriptors.now();
        if (fd == null || fd.limit() < 0) {
            return "";
        }
        // Counting the open files needs a file itself: at the limit the count is what fails.
        return fd.open() < 0 ? " (the limit is " + fd.limit() + " open files: ulimit -n)"
                : " (" + fd.open() + " of " + fd.limit() + " files open: ulimit -n)";
    }
}
