package io.jfrp.core.mux;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

/** How every local socket is aborted, whether or not a stream was ever bound to it. */
public final class LocalSockets {

    private LocalSockets() {
    }

    /**
     * Closes with a reset (SO_LINGER 0): the application sees ECONNRESET, not an end of input, and what
     * was queued for it is dropped. For a connection whose far end broke, a clean close would make a
     * truncated transfer look complete.
     */
    public static void abort(Channel ch) {
        if (!ch.eventLoop().inEventLoop()) {
            ch.eventLoop().execute(() -> abort(ch));
            return;
        }
        if (ch.isOpen()) {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
            ch.close();
        }
    }
}
