package io.jfrp.server;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed logins by source address, and when that address's next login is checked. The first
 * {@link #FREE_FAILURES} cost nothing (a mistyped token); then each failure doubles the wait, from 100 ms
 * up to {@link #MAX_DELAY_MILLIS}. A login that arrives during the wait is held until it ends, then
 * checked like any other (a good client behind the same address as a guesser gets in, later), and at
 * most {@link #MAX_HELD} are held per address: more are refused unchecked. So one address gets a few
 * guesses a second at most, whatever it sends. A good login resets its address. The table keeps at most
 * {@link #MAX_ADDRESSES} addresses (the least recently seen go first) and forgets an address an hour
 * after its last failure. Thread-safe; every call is short.
 */
final class LoginThrottle {

    static final int FREE_FAILURES = 5;
    /** Below the login deadline (10 s), so a held login is still checked within it. */
    static final long MAX_DELAY_MILLIS = 5_000;
    static final int MAX_HELD = 8;
    static final int MAX_ADDRESSES = 10_000;
    private static final long FORGET_NANOS = 3_600_000_000_000L;

    private static final class Failures {
        int count;
        int held;
        long lastNanos;
        long allowedAtNanos;
    }

    private final Map<InetAddress, Failures> byAddress = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Failures> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /**
     * A login from {@code address} wants checking.
     * @return 0 to check it now, a positive delay in milliseconds to hold it (then {@link #released}), or -1
     *         to refuse it unchecked (too many held already)
     */
    synchronized long admit(InetAddress address, long nowNanos) {
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
        if (f.held >= MAX_HELD) {
            return -1;
        }
        f.held++;
        return Math.max(1, wait / 1_000_000);
    }

    /** A held login's wait is over (checked, or its connection gone). */
    synchronized void released(InetAddress address) {
        Failures f = byAddress.get(address);
        if (f != null && f.held > 0) {
            f.held--;
        }
    }

    synchronized void failed(InetAddress address, long nowNanos) {
        Failures f = byAddress.computeIfAbsent(address, a -> new Failures());
        f.count++;
        f.lastNanos = nowNanos;
        if (f.count > FREE_FAILURES) {
            int doublings = Math.min(f.count - FREE_FAILURES - 1, 16);
            f.allowedAtNanos = nowNanos + Math.min(MAX_DELAY_MILLIS, 100L << doublings) * 1_000_000;
        }
    }

    synchronized void succeeded(InetAddress address) {
        Failures f = byAddress.get(address);
        if (f != null && f.held == 0) {
            byAddress.remove(address);
        } else if (f != null) {
            f.count = 0;
            f.allowedAtNanos = 0;
        }
    }
}
