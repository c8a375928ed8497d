package io.jfrp.core.mux;

/**
 * A proxy's bandwidth limit, shared by its streams and both their directions: a token bucket that fills
 * at {@code bytesPerSecond} up to one second's worth. A read or write may take more than is there (it is
 * never split); the debt is paid by waiting. Used on one event loop (the session's), so not locked.
 */
public final class ByteRate {

    private final long bytesPerSecond;
    /** The least that goes at a time once the bucket ran dry: a twentieth of a second's worth, at most 16 KiB. */
    private final long quantum;
    private double tokens;
    private long lastNanos;

    public ByteRate(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("a rate of " + bytesPerSecond + " bytes/s");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.quantum = Math.max(1, Math.min(16 * 1024, bytesPerSecond / 20));
        this.tokens = bytesPerSecond;
        this.lastNanos = System.nanoTime();
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(bytesPerSecond, tokens + (now - lastNanos) * (double) bytesPerSecond / 1e9);
        lastNanos = now;
    }

    /** Whether bytes may go now: a quantum's worth is there (so that a dry bucket is not paid out byte by byte). */
    boolean available() {
        refill();
        return tokens >= quantum;
    }

    void spend(int bytes) {
        refill();
        tokens -= bytes;
    }

    /** How many bytes may go now (at least a quantum while {@link #available()}). */
    long allowance() {
        refill();
        return tokens >= quantum ? (long) tokens : 0;
    }

    /** How long until bytes may go again (0: now). */
    long nanosUntilAvailable() {
        refill();
        return tokens >= quantum ? 0 : (long) Math.ceil((quantum - tokens) * 1e9 / bytesPerSecond);
    }
}
