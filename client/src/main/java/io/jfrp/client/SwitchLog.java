package io.jfrp.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * A move of the session between channels is logged once, when it is done: both channels, the cause and
 * how long it took (a failure's own line comes from the state machine). Called on the control loop.
 */
final class SwitchLog {

    private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);

    private String from;
    private String cause;
    private long startedNanos;

    /** A move from channel {@code from} begins, because of {@code why}; a move under way keeps its start. */
    void begins(String fromChannel, String why) {
        from = fromChannel;
        cause = why;
        startedNanos = System.nanoTime();
    }

    boolean underWay() {
        return from != null;
    }

    /** The move did not happen: nothing to log. */
    void dropped() {
        from = null;
    }

    /** The session logged in on {@code to}: the move's line, if one was under way. */
    void done(String to) {
        if (from != null) {
            log.info("session moved to channel {} from {} in {} ms: {}", to, from,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos), cause);
            from = null;
        }
    }
}
