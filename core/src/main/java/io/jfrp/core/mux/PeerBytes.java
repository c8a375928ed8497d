package io.jfrp.core.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayDeque;

/**
 * What the peer sent one stream that its local end has not taken yet, and what that costs: bytes plus
 * {@link #WRITE_OVERHEAD} per queued write, from arrival until the write completes, so a flood of tiny
 * frames costs what it really costs. Small payloads are merged into one buffer (but datagrams), so a
 * reader that stalls holds its bytes and few objects. The stream charges the session's memory with what this reports.
 */
final class PeerBytes {

    /**
     * What one queued write to a local end costs beyond its bytes: Netty's outbound entry, the buffer
     * object, its promise and the completion listener (about 250 bytes of heap together).
     */
    static final int WRITE_OVERHEAD = 256;
    /** Small payloads are merged into one buffer of at most this size while they wait. */
    static final int MERGE_CAPACITY = 16 * 1024;
    /** Payloads smaller than this are copied: a retained slice keeps the whole read it came in alive. */
    static final int COPY_BELOW = 16 * 1024;
    /** A larger slice is copied too when what it keeps alive is more than this many times its size. */
    private static final int MAX_PIN_RATIO = 4;

    // Small: it holds what a stalled reader left, merged, and an idle connection should cost little
    // (an ArrayDeque's default is 17 slots).
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>(2);
    /** The last element of the queue while it has room for more small payloads, or null. */
    private ByteBuf merging;
    /** Bytes (and write overheads) charged for this stream and not yet released. */
    private long held;
    /** Everything was released at once (the stream was aborted): writes that complete later release nothing. */
    private boolean dropped;
    /** Each payload is one datagram: copied when it pins too much, never merged with another. */
    private final boolean keepBoundaries;

    PeerBytes(boolean keepBoundaries) {
        this.keepBoundaries = keepBoundaries;
    }

    long held() {
        return held;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Queues a payload; @return what it costs: its bytes, plus a write's overhead unless it was merged */
    long add(ByteBuf payload, ByteBufAllocator alloc) {
        int n = payload.readableBytes();
        long cost = n + WRITE_OVERHEAD;
        if (!pinsTooMuch(payload)) {
            queue.add(payload);
            merging = null;
        } else if (keepBoundaries) {
            ByteBuf copy = alloc.directBuffer(n, n);
            copy.writeBytes(payload);
            payload.release();
            queue.add(copy);
        } else if (merging != null && merging.maxWritableBytes() >= n) {
            // A slice of the read buffer would keep all of it alive (a flood of 1-byte frames pins a read
            // buffer per byte); copy it, into the buffer its small neighbours already went to when it fits.
            merging.writeBytes(payload);
            payload.release();
            cost = n;
        } else {
            ByteBuf copy = alloc.directBuffer(Math.min(Math.max(n, 512), MERGE_CAPACITY), Math.max(n, MERGE_CAPACITY));
            copy.writeBytes(payload);
            payload.release();
            queue.add(copy);
            merging = copy.maxWritableBytes() > 0 ? copy : null;
        }
        held += cost;
        return cost;
    }

    /** The next buffer to write, or null; nothing more is merged into it. */
    ByteBuf poll() {
        ByteBuf b = queue.poll();
        if (b == merging) {
            merging = null;
        }
        return b;
    }

    /** A write of {@code n} bytes completed: @return what to release from the session's memory */
    long written(int n) {
        if (dropped) {
            return 0;
        }
        held -= n + WRITE_OVERHEAD;
        return n + WRITE_OVERHEAD;
    }

    /** Drops what waits, and everything held: @return what to release from the session's memory (once) */
    long drop() {
        ByteBuf b;
        while ((b = queue.poll()) != null) {
            b.release();
        }
        merging = null;
        if (dropped) {
            return 0;
        }
        dropped = true;
        long all = held;
        held = 0;
        return all;
    }

    /**
     * A payload decoded from the channel is a slice of the buffer its frame was read into, and keeps all
     * of that buffer alive (up to a whole read of many frames). That is free while the local end writes
     * it out at once, but a flood of 1-byte frames towards a reader that never reads would pin a read
     * buffer per byte. {@code true} when the payload must be copied before it is queued.
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
