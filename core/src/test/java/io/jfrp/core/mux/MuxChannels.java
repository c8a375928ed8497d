package io.jfrp.core.mux;

import io.jfrp.protocol.Wire;
import io.netty.channel.embedded.EmbeddedChannel;

/** Sessions for tests: a {@link MuxSession} on an {@link EmbeddedChannel}'s loop, carried by that channel. */
final class MuxChannels {

    private MuxChannels() {
    }

    static EmbeddedChannel carrying(boolean opensStreams, MuxSession.StreamListener listener) {
        return carrying(opensStreams, Wire.INITIAL_WINDOW, Wire.MAX_WINDOW, MemoryBudget.forThisJvm(), listener);
    }

    static EmbeddedChannel carrying(boolean opensStreams, int window, int maxWindow, MemoryBudget budget,
                                    MuxSession.StreamListener listener) {
        return carrying(new EmbeddedChannel(), opensStreams, window, maxWindow, budget, listener, 0);
    }

    /**
     * Puts a new session's carrier on {@code ch} (which may have its clock frozen already), speaking
     * {@code features} (Wire.FEATURE_*) with its peer.
     */
    static EmbeddedChannel carrying(EmbeddedChannel ch, boolean opensStreams, int window, int maxWindow,
                                    MemoryBudget budget, MuxSession.StreamListener listener, int features) {
        MuxSession mux = new MuxSession(ch.eventLoop(), opensStreams, window, maxWindow, budget, listener);
        ch.pipeline().addLast("mux", new ChannelCarrier(mux, features));
        return ch;
    }

    static MuxSession mux(EmbeddedChannel ch) {
        return ch.pipeline().get(ChannelCarrier.class).session();
    }
}
