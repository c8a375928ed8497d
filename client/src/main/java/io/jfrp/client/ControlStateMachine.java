package io.jfrp.client;

import io.jfrp.core.config.ReconnectSettings;
import io.jfrp.core.resilience.ReconnectPolicy;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The client's connection states and every decision about them, in one place and free of Netty:
 * what state follows an event, how long to wait before the next attempt, and what to log. Time comes
 * from the given clock, so an outage of minutes is tested in microseconds.
 *
 * Logging: each transition once, with its cause; of a run of failed attempts the first, then a
 * summary every minute; when the circuit opens one ERROR, then a summary every five minutes; on
 * recovery one line with how long the tunnel was down.
 */
final class ControlStateMachine {

    /** Where the machine's lines go; the control loop sends them to SLF4J, tests keep them. */
    interface Log {
        void info(String line);

        void warn(String line);

        void error(String line);
    }

    static final long SUMMARY_NANOS = Duration.ofMinutes(1).toNanos();
    static final long OPEN_SUMMARY_NANOS = Duration.ofMinutes(5).toNanos();

    private ReconnectSettings settings;
    private ReconnectPolicy policy;
    private final LongSupplier clock;
    private final Log log;
    private final String doctorHint;

    private ClientState state = ClientState.CONNECTING;
    private long sinceNanos;
    private long outageStartNanos = -1;
    private int consecutiveFailures;
    private int failuresSinceSummary;
    private long lastSummaryNanos;
    private String lastError = "";
    /** When lastError was set (wall clock, for status); null while there is none. */
    private java.time.Instant lastErrorAt;
    private int circuitOpens;
    private int reconnects;
    private boolean everConnected;

    ControlStateMachine(ReconnectSettings settings, LongSupplier nanoClock, DoubleSupplier random, Log log,
                        String doctorHint) {
        this.settings = settings;
        this.policy = new ReconnectPolicy(settings, random);
        this.clock = nanoClock;
        this.log = log;
        this.doctorHint = doctorHint;
        this.sinceNanos = nanoClock.getAsLong();
    }

    ClientState state() {
        return state;
    }

    long sinceNanos() {
        return sinceNanos;
    }

    java.time.Instant lastErrorAt() {
        return lastErrorAt;
    }

    /** How often the circuit opened (an outage long enough to slow the probing). */
    int circuitOpens() {
        return circuitOpens;
    }

    String lastError() {
        return lastError;
    }

    /** A reload's backoff: from the next failure on (a wait already begun runs out as it was). */
    void reconnect(ReconnectSettings next, DoubleSupplier random) {
        settings = next;
        policy = new ReconnectPolicy(next, random);
    }

    int reconnects() {
        return reconnects;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** An attempt to connect and log in failed; returns how long to wait before the next one. */
    Duration attemptFailed(String cause, boolean authRefused) {
        if (state == ClientState.STOPPED) {
            return Duration.ZERO;
        }
        long now = clock.getAsLong();
        lastError = cause;
        lastErrorAt = java.time.Instant.now();
        consecutiveFailures++;
        failuresSinceSummary++;
        if (outageStartNanos < 0) {
            outageStartNanos = now;
        }
        if (consecutiveFailures == 1) {
            lastSummaryNanos = now;
            failuresSinceSummary = 0;
            // The cause says what to fix (the server names the token, the clocks or the versions).
            log.warn(cause + (authRefused ? " (retrying slowly)" : "; retrying"));
        }
        if (state != ClientState.CIRCUIT_OPEN && consecutiveFailures >= settings.circuitBreakerThreshold()) {
            transition(ClientState.CIRCUIT_OPEN);
            circuitOpens++;
            log.error("circuit open: " + consecutiveFailures + " attempts failed over " + seconds(now - outageStartNanos)
                    + "; last error: " + cause + "; probing every " + settings.maxInterval().toMillis() + " ms. "
                    + doctorHint);
            lastSummaryNanos = now;
            failuresSinceSummary = 0;
        } else if (state == ClientState.CIRCUIT_OPEN) {
            summarize(now, OPEN_SUMMARY_NANOS, cause);
        } else if (consecutiveFailures > 1) {
            summarize(now, SUMMARY_NANOS, cause);
        }
        if (state == ClientState.CIRCUIT_OPEN || authRefused) {
            // A refused token or a long outage will not mend in milliseconds: probe at the slowest pace.
            return policy.maxDelay();
        }
        return policy.nextDelay(Duration.ofNanos(now - outageStartNanos));
    }

    private void summarize(long now, long every, String cause) {
        if (now - lastSummaryNanos >= every) {
            log.warn("still no session after " + consecutiveFailures + " attempts over " + seconds(now - outageStartNanos)
                    + " (" + failuresSinceSummary + " since the last report); last error: " + cause);
            lastSummaryNanos = now;
            failuresSinceSummary = 0;
        }
    }

    /**
     * Logged in: the circuit closes and the outage, if any, is reported with its length. The line carries
     * frp's phrase ("login to server success, get run id [...]"): scripts and frp's suite wait for it.
     */
    void connected(String server, String runId) {
        if (state == ClientState.STOPPED) {
            return;
        }
        long now = clock.getAsLong();
        ClientState prev = state;
        String line = prev + " -> CONNECTED: login to server success, get run id [" + runId + "], logged in to " + server;
        if (outageStartNanos >= 0) {
            line += " after " + seconds(now - outageStartNanos) + " down"
                    + (consecutiveFailures > 0 ? " and " + consecutiveFailures + " failed attempts" : "");
        }
        if (everConnected) {
            reconnects++;
        }
        everConnected = true;
        outageStartNanos = -1;
        consecutiveFailures = 0;
        failuresSinceSummary = 0;
        lastError = "";
        lastErrorAt = null;
        policy.reset();
        transition(ClientState.CONNECTED);
        log.info(line);
    }

    /**
     * The logged-in channel ended; returns how long to wait before reconnecting.
     * @param slow the cause will not mend at once: wait the longest interval
     */
    Duration channelLost(String cause, boolean slow) {
        return channelLost(cause, slow, Long.MAX_VALUE);
    }

    /**
     * As above, for a channel last heard from at {@code lastHeardNanos} (this machine's clock): a link that
     * went silent was down from then, not from when the heartbeat timeout noticed it.
     */
    Duration channelLost(String cause, boolean slow, long lastHeardNanos) {
        if (state == ClientState.STOPPED) {
            return Duration.ZERO;
        }
        long now = clock.getAsLong();
        outageStartNanos = lastHeardNanos - now < 0 ? lastHeardNanos : now;
        lastError = cause;
        lastErrorAt = java.time.Instant.now();
        ClientState prev = state;
        transition(ClientState.RECONNECTING);
        log.warn(prev + " -> RECONNECTING: connection to the server lost: " + cause);
        return slow ? policy.maxDelay() : policy.nextDelay(Duration.ZERO);
    }

    void stopped() {
        if (state != ClientState.STOPPED) {
            ClientState prev = state;
            transition(ClientState.STOPPED);
            log.info(prev + " -> STOPPED");
        }
    }

    private void transition(ClientState next) {
        state = next;
        sinceNanos = clock.getAsLong();
    }

    /**
     * "12.3s", the same in every locale (String.format would write "12,3s" in some, and loads the JDK's
     * locale data into a client that has no other use for it).
     */
    static String seconds(long nanos) {
        long tenths = Math.round(nanos / 1e8);
        return tenths / 10 + "." + tenths % 10 + "s";
    }
}
