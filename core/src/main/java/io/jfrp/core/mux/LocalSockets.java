package io.jfrp.core.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

/** What every stream does to its local socket the same way: abort it, and keep a payload from pinning memory. */
public final class LocalSockets {

    /** Payloads smaller than this are copied: a retained slice keeps the whole read it came in alive. */
    static final int COPY_BELOW = 16 * 1024;
    /** A larger slice is copied too when what it keeps alive is more than this many times its size. */
    private static final int MAX_PIN_RATIO = 4;

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

    /**
     * A payload decoded from the channel is a slice of the buffer its frame was read into, and keeps all
     * of that buffer alive (up to a whole read of many frames). That is free while the local socket
     * writes it out at once, but a flood of 1-byte frames towards a reader that never reads would pin a
     * read buffer per byte. {@code true} when the payload must be copied before it is queued.
     */
    static boolean pinsTooMuch(ByteBuf payload) {
        int n = payload.readableBytes();
        if (n < COPY_BELOW) {
            return true;
        }
        ByteBuf parent = payload.unwrap();
        return parent != null && parent.capacity() > (long) n * MAX_PIN_RATIO;
    }
}
