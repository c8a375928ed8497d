package io.jfrp.client;

import io.jfrp.core.config.ChannelConfig;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the client last saw of each channel, for status: the one the session is on, the ones that
 * answered a probe (and how fast), the ones that failed (and why). Written on the control loop only;
 * {@link #snapshot} is what other threads get.
 */
final class ChannelHealth {

    /** A channel's last outcome, in status words. */
    enum State {
        UNTRIED("untried"), ACTIVE("active"), STANDBY("standby"), FAILED("failed"),
        /** The session moved on; this channel still carries the streams it had, until they end. */
        DRAINING("draining");

        final String word;

        State(String word) {
            this.word = word;
        }
    }

    private final List<ChannelConfig> channels;
    private final State[] state;
    private final String[] lastError;
    private final long[] rttNanos;
    private final Instant[] since;

    ChannelHealth(List<ChannelConfig> channels) {
        this.channels = List.copyOf(channels);
        int n = channels.size();
        state = new State[n];
        lastError = new String[n];
        rttNanos = new long[n];
        since = new Instant[n];
        for (int i = 0; i < n; i++) {
            state[i] = State.UNTRIED;
            lastError[i] = "";
            rttNanos[i] = -1;
            since[i] = Instant.now();
        }
    }

    /** The session logged in on channel {@code i}; the one it was on before, if any, is a standby now. */
    void active(int i) {
        for (int j = 0; j < state.length; j++) {
            if (j != i && state[j] == State.ACTIVE) {
                set(j, State.STANDBY);
            }
        }
        set(i, State.ACTIVE);
        lastError[i] = "";
    }

    /** The session moved from channel {@code i} to a better one; {@code i} carries its streams until they end. */
    void draining(int i) {
        set(i, State.DRAINING);
    }

    /** Channel {@code i} carried its last stream, or was lost meanwhile; a standby (when no probe said otherwise). */
    void drained(int i, String why) {
        if (state[i] == State.DRAINING) {
            set(i, State.STANDBY);
            lastError[i] = why == null ? "" : why;
        }
    }

    /** Channel {@code i} could not carry the session, or lost it. */
    void failed(int i, String why) {
        set(i, State.FAILED);
        lastError[i] = why == null ? "" : why;
        rttNanos[i] = -1;
    }

    /** A probe of channel {@code i} answered in {@code nanos}, or did not ({@code nanos < 0}). */
    void probed(int i, long nanos) {
        if (nanos < 0) {
            failed(i, "no answer to a probe");
            return;
        }
        set(i, State.STANDBY);
        lastError[i] = "";
        rttNanos[i] = nanos;
    }

    private void set(int i, State s) {
        if (state[i] != s) {
            state[i] = s;
            since[i] = Instant.now();
        }
    }

    /** Every channel as of now; the active one's round trip is the session's own. */
    List<ClientStatus.Channel> snapshot(long sessionRttNanos) {
        List<ClientStatus.Channel> out = new ArrayList<>(channels.size());
        for (int i = 0; i < channels.size(); i++) {
            ChannelConfig c = channels.get(i);
            long rtt = state[i] == State.ACTIVE ? sessionRttNanos : rttNanos[i];
            out.add(new ClientStatus.Channel(c.name(), c.protocol(), c.serverAddr() + ":" + c.serverPort(),
                    c.proxy() == null ? "" : c.proxy().toString(), state[i].word, rtt < 0 ? -1 : rtt / 1000,
                    lastError[i], since[i]));
        }
        return List.copyOf(out);
    }
}
