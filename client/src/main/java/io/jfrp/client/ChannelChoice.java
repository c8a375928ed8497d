package io.jfrp.client;

import io.jfrp.core.config.ChannelConfig;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Which of the client's channels (in the config's order, best first) the session uses, when to move
 * to the next, and when to move back. A channel that fails hands over to the next at once, until every
 * channel has failed in a row: then the reconnect backoff applies and the next round starts from the
 * best. While the session runs on a worse channel, the better ones are probed; one that has answered
 * every probe for the fail-back time takes the session back (one failed probe starts its time again,
 * so a flapping channel never does).
 */
final class ChannelChoice {

    private final List<ChannelConfig> channels;
    private final long holdNanos;
    private final LongSupplier clock;
    private final long[] healthySince;
    private int current;
    /** Where the failures of this round began; -1 while logged in. */
    private int roundStart = -1;

    ChannelChoice(List<ChannelConfig> channels, long holdNanos, LongSupplier clock) {
        this.channels = List.copyOf(channels);
        this.holdNanos = holdNanos;
        this.clock = clock;
        this.healthySince = new long[channels.size()];
        Arrays.fill(healthySince, -1);
    }

    ChannelConfig current() {
        return channels.get(current);
    }

    int index() {
        return current;
    }

    int size() {
        return channels.size();
    }

    ChannelConfig get(int i) {
        return channels.get(i);
    }

    /**
     * The current channel failed (no connection, no login, or lost).
     * @return true when another channel is next in this round (go at once); false when all failed in a
     *         row (back off; the next round starts from the best)
     */
    boolean failed() {
        if (channels.size() == 1) {
            return false;
        }
        if (roundStart < 0) {
            roundStart = current;
        }
        current = (current + 1) % channels.size();
        if (current == roundStart) {
            current = 0;
            roundStart = -1;
            return false;
        }
        return true;
    }

    /** Logged in on the current channel. */
    void loggedIn() {
        roundStart = -1;
        Arrays.fill(healthySince, -1);
    }

    /** A probe of channel {@code i} (better than the current one) answered, or did not. */
    void probed(int i, boolean ok) {
        if (!ok) {
            healthySince[i] = -1;
        } else if (healthySince[i] < 0) {
            healthySince[i] = clock.getAsLong();
        }
    }

    /** The best channel better than the current one that has been healthy for the fail-back time; -1 if none. */
    int moveBack() {
        long now = clock.getAsLong();
        for (int i = 0; i < current; i++) {
            if (healthySince[i] >= 0 && now - healthySince[i] >= holdNanos) {
                return i;
            }
        }
        return -1;
    }

    void moveTo(int i) {
        current = i;
        roundStart = -1;
        Arrays.fill(healthySince, -1);
    }
}
