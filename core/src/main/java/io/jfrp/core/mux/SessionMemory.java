package io.jfrp.core.mux;

import io.jfrp.core.log.LogLimiter;
import io.netty.util.collection.IntObjectMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * What one session's streams hold for local sockets that have not taken it yet, kept within the
 * session's and the process's limits of a {@link MemoryBudget}: past a limit the stream holding the
 * most is reset, with one rate-limited line. New streams are never refused for memory: one costs
 * nothing until bytes arrive for it, and a stream whose reader takes what it is sent never holds
 * much, so the streams that stall are the ones shed and the session's other proxies keep working.
 * Runs on the session's event loop; only the budget is shared.
 */
final class SessionMemory {

    private static final Logger log = LoggerFactory.getLogger(SessionMemory.class);

    private final MemoryBudget budget;
    /** The session's stream table: where the largest holder is found. */
    private final IntObjectMap<MuxStream> streams;
    private final LogLimiter shedLog = new LogLimiter(Duration.ofSeconds(60));
    /** Bytes (and write overheads) this session's streams hold for their local sockets. */
    private long held;

    SessionMemory(MemoryBudget budget, IntObjectMap<MuxStream> streams) {
        this.budget = budget;
        this.streams = streams;
    }

    /** A stream now holds {@code n} more bytes; past a limit, the stream that holds the most is reset. */
    void charge(long n) {
        held += n;
        budget.charge(n);
        if (held > budget.sessionLimit()) {
            shedLargest("this session's", held, budget.sessionLimit());
        } else if (budget.used() > budget.processLimit()) {
            shedLargest("all sessions'", budget.used(), budget.processLimit());
        }
    }

    void release(long n) {
        held -= n;
        budget.release(n);
    }

    /** Windows grow only while this session and the process are under half their limits. */
    boolean roomToGrow() {
        return held < budget.sessionLimit() / 2 && budget.roomToGrow();
    }

    long held() {
        return held;
    }

    private void shedLargest(String whose, long used, long limit) {
        MuxStream victim = null;
        for (MuxStream s : streams.values()) {
            if (victim == null || s.toLocal.held() > victim.toLocal.held()) {
                victim = s;
            }
        }
        if (victim == null || victim.toLocal.held() == 0) {
            return;
        }
        String suffix = shedLog.admit("shed");
        if (suffix != null) {
            log.warn("proxy {}: stream {} of user {} reset: its reader left {} KiB untaken and {} streams hold {} KiB "
                            + "(limit {} KiB){}", victim.proxyName, victim.id, victim.userAddress, victim.toLocal.held() / 1024,
                    whose, used / 1024, limit / 1024, suffix);
        }
        victim.resetAndAbort("memory limit: the reader took too little of what was sent");
    }
}
