package io.jfrp.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed logins by key (a source address; a [[users]] name), and when that key's next login is checked. The first
 * {@link #FREE_FAILURES} cost nothing (a mistyped token); then each failure doubles the wait, from 100 ms
 * up to {@link #MAX_DELAY_MILLIS}. A login that arrives during the wait is held until it ends, then
 * checked like any other (a good client behind the same address as a guesser gets in, later), and at
 * most {@code maxHeld} are held per key: more are refused unchecked. So one address gets a few
 * guesses a second at most, whatever it sends. A good login resets its key. The table keeps at most
 * {@link #MAX_ADDRESSES} keys (the least recently seen go first) and forgets a key an hour after its
 * last failure. Thread-safe; every call is short.
 * <p>
 * Per user, logins are held but never refused ({@link #perUser}): a guesser who names a user from many
 * addresses slows that user's logins by at most {@link #MAX_DELAY_MILLIS}, and cannot lock it out (each
 * address's own limit still caps what it holds).
 */
final class LoginThrottle<K> {

    static final int FREE_FAILURES = 5;
    /** Below the login deadline (10 s), so a held login is still checked within it. */
    static final long MAX_DELAY_MILLIS = 5_000;
    static final int MAX_HELD = 8;

    /** By source address: {@link #MAX_HELD} held at most, then refused. */
    static LoginThrottle<java.net.InetAddress> perAddress() {
        return new LoginThrottle<>(MAX_HELD);
    }

    /** By [[users]] name: held, never refused. */
    static LoginThrottle<String> perUser() {
        return new LoginThrottle<>(Integer.MAX_VALUE);
    }

    private final int maxHeld;

    private LoginThrottle(int maxHeld) {
        this.maxHeld = maxHeld;
    }
    static final int MAX_ADDRESSES = 10_000;
    private static final long FORGET_NANOS = 3_600_000_000_000L;

    private static final class Failures {
        int count;
        int held;
        long lastNanos;
        long allowedAtNanos;
    }

    private final Map<K, Failures> byAddress = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<K, Failures> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /**
     * A login from {@code address} wants checking.
     * @return 0 to check it now, a positive delay in milliseconds to hold it (then {@link #released}), or -1
     *         to refuse it unchecked (too many held already)
     */
    synchronized long admit(K address, long nowNanos) {
        Failures f = byAddress.get(address);
        if (f == null) {
            return 0;
        }
        if (nowNanos - f.lastNanos > FORGET_NANOS) {
            byAddress.remove(address);
            return 0;
        }
        long wait = f.allowedAtNanos - nowNanos;
        if (wait <= 0) {
            return 0;
        }
        if (f.held >= maxHeld) {
            return -1;
        }
        f.held++;
        return Math.max(1, wait / 1_000_000);
    }

    /** A held login's wait is over (checked, or its connection gone). */
    synchronized void released(K address) {
        Failures f = byAddress.get(address);
        if (f != null && f.held > 0) {
            f.held--;
        }
    }

    synchronized void failed(K address, long nowNanos) {
        Failures f = byAddress.computeIfAbsent(address, a -> new Failures());
        f.count++;
        f.lastNanos = nowNanos;
        if (f.count > FREE_FAILURES) {
            int doublings = Math.min(f.count - FREE_FAILURES - 1, 16);
            f.allowedAtNanos = nowNanos + Math.min(MAX_DELAY_MILLIS, 100L << doublings) * 1_000_000;
        }
    }

    synchronized void succeeded(K address) {
        Failures f = byAddress.get(address);
        if (f != null && f.held == 0) {
            byAddress.remove(address);
        } else if (f != null) {
            f.count = 0;
            f.allowedAtNanos = 0;
        }
    }
}
