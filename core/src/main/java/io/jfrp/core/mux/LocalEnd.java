package io.jfrp.core.mux;

import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What a stream needs of its end on this side, whatever that end is: today a socket ({@link SocketEnd}:
 * the user's connection on the server, the local service's on the client, including a connected
 * datagram socket) or a datagram flow that shares its proxy's socket ({@link DatagramFlow}); a spliced
 * stream or one HTTP exchange later. What the end receives reaches the stream through its relay (for a
 * socket, {@link StreamRelay}): data, the end of input, a failure, the close. Every method may be called
 * from the session's loop; an end on another loop hops where it must.
 */
interface LocalEnd {

    /** Binds what the end receives to {@code stream}, replaying what arrived before. */
    void bind(MuxStream stream);

    /**
     * Whether each read is one datagram and each write must arrive as one: such a stream never splits or
     * merges what it carries, and drops a datagram it cannot send at once rather than wait (UDP's own
     * answer to a full path), so its end is never paused.
     */
    default boolean datagrams() {
        return false;
    }

    /** Start or stop taking data from the local side: the stream's back-pressure. */
    void reading(boolean on);

    /** Room for more without queueing past the end's high-water mark. */
    boolean isWritable();

    ByteBufAllocator alloc();

    /** Queues bytes towards the local side; {@code done} learns whether they left or the end broke first. */
    void write(ByteBuf bytes, WriteDone done);

    void flush();

    /** Sends what was queued, then runs {@code then} once it has left (or failed). */
    void afterWrites(Runnable then);

    /** Whether the end can end one direction only (a TCP half-close); otherwise a FIN closes it. */
    boolean canHalfClose();

    /** No more bytes towards the local side (a FIN); {@code then} runs once that is done. */
    void shutdownOutput(Runnable then);

    /** A clean close. */
    void close();

    /** A close that tells the local side the connection broke (a socket's RST). */
    void abort();

    /** Runs {@code then} (on any thread) once the end has closed, however it closed. */
    void onClosed(Runnable then);

    /** For log lines and STREAM_OPEN: who is at the local side. */
    InetSocketAddress remoteAddress();

    /** The outcome of one write; a primitive callback, one per queued write. */
    interface WriteDone {
        void done(boolean written);
    }
}
