package io.jfrp.core.mux;

/**
 * How much one stream lets the peer send, and when to grant more: credit goes back when the local end
 * has taken bytes, in batches of a quarter window, and the window grows (doubling, up to the session's
 * maximum, while memory allows) when it is what limits the stream. A stalled reader never returns
 * credit, so it keeps the small initial window; a slow one stops growing once it lags.
 */
final class ReceiveWindow {

    private final MuxSession session;
    /** What this side lets the peer have in flight; grows, never shrinks. */
    private int size;
    /** What the peer may still send before more credit. */
    private int allowance;
    /** The offset up to which the peer may send: the initial window and every grant since. */
    private long limit;
    private int unacknowledged;
    /** Data arrived while the local end was behind (its queue here or its own over the high-water mark) since the last grant. */
    private boolean lagging;

    ReceiveWindow(MuxSession session) {
        this.session = session;
        this.size = session.window();
        this.allowance = session.window();
        this.limit = session.window();
    }

    long limit() {
        return limit;
    }

    int size() {
        return size;
    }

    int allowance() {
        return allowance;
    }

    /** The peer sent {@code n} bytes: @return false when that is more than it was allowed */
    boolean take(int n) {
        if (n > allowance) {
            return false;
        }
        allowance -= n;
        return true;
    }

    void lagging() {
        lagging = true;
    }

    /**
     * The local end took {@code n} bytes: @return the credit to grant now, 0 for none yet. When the peer
     * had used (nearly) the whole window and the local end kept up, the window is what limits the
     * stream: the grant includes a raise.
     */
    int credit(int n) {
        unacknowledged += n;
        if (unacknowledged < size / 4 && allowance > 0) {
            return 0;
        }
        int grant = unacknowledged;
        if (allowance <= size / 4 && !lagging) {
            grant += grow(size);
        }
        allowance += grant;
        limit += grant;
        lagging = false;
        unacknowledged = 0;
        return grant;
    }

    /**
     * The stream received {@code bytes} in one round trip while it held {@code held}: when that is most of
     * the window and the reader keeps up (it holds under half the window), the window (not the sender,
     * not the reader) limits it, as on any long link. Not the sticky {@link #lagging}: a reader that took
     * a burst a moment late is not a slow reader, and on a long link one such moment per grant kept
     * windows near 1 MiB. @return the extra credit to grant, 0 for none
     */
    int onRoundTrip(int bytes, long held) {
        if (held > size / 2 || bytes < size * 2 / 3) {
            return 0;
        }
        int extra = grow(Math.max(bytes, size));
        allowance += extra;
        limit += extra;
        return extra;
    }

    /** Raises the window by up to {@code by} within the session's maximum and memory; @return the raise */
    private int grow(int by) {
        if (size >= session.maxWindow() || !session.memory().roomToGrow()) {
            return 0;
        }
        int extra = Math.min(by, session.maxWindow() - size);
        size += extra;
        return extra;
    }
}
