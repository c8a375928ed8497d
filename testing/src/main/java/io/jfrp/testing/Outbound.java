package io.jfrp.testing;

import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;

/** What a handler under test sent on an {@link EmbeddedChannel}. */
public final class Outbound {

    private Outbound() {
    }

    /** Runs the channel's pending tasks (a coalesced flush is one), then takes all it sent; the caller releases. */
    public static List<Object> take(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            out.add(o);
        }
        return out;
    }
}
