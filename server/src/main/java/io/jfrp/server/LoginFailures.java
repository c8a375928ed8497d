package io.jfrp.server;

import io.jfrp.core.log.PeerText;
import io.jfrp.protocol.ErrorCode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Refused logins, counted by reason for the metrics, and the last few kept for the dashboard (when, from
 * where, which user, why; peer-supplied text escaped). Bounded however many logins are refused.
 */
final class LoginFailures {

    /** How many of the latest refusals the dashboard shows. */
    static final int KEPT = 20;

    /** One refusal, as the dashboard lists it. */
    record Refusal(Instant at, String peer, String user, String reason) {
    }

    private final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();
    private final Deque<Refusal> latest = new ArrayDeque<>();

    void refused(ErrorCode code, String peer, String user, String reason) {
        byReason.computeIfAbsent(code.name().toLowerCase(Locale.ROOT), k -> new LongAdder()).increment();
        Refusal r = new Refusal(Instant.now(), peer, PeerText.escape(user), reason);
        synchronized (latest) {
            latest.addFirst(r);
            while (latest.size() > KEPT) {
                latest.removeLast();
            }
        }
    }

    /** Counts by reason (auth_failed, clock_skew, protocol_error, session_not_yours, ...). */
    Map<String, Long> counts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        byReason.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    List<Refusal> latest() {
        synchronized (latest) {
            return new ArrayList<>(latest);
        }
    }
}
