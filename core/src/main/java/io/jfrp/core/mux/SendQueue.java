package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;

/**
 * One stream's way towards the peer: what its local end read that waits for credit, the credit the peer
 * granted (as an offset from the stream's first byte), and what was sent. Bytes go out as DATA frames of
 * at most {@link Wire#MAX_DATA_CHUNK}, cut where the credit ends; datagrams go out whole or not at all.
 * Runs on the session's loop.
 */
final class SendQueue {

    /** Read locally, waiting for credit: one read at most (an idle connection should cost little). */
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>(2);
    private final boolean datagrams;
    /** The offset up to which the peer lets this side send. */
    private long sendLimit;
    /** Bytes sent so far: the offset of the next. */
    private long sent;
    /** Of what this side sent, what the peer says reached its local end (protocol 1.1): where a resume would start. */
    private long peerConsumed;
    /** Datagrams dropped towards the peer: no credit, a full carrier, or too many before the stream opened. */
    private long datagramsDropped;

    SendQueue(int initialWindow, boolean datagrams) {
        this.sendLimit = initialWindow;
        this.datagrams = datagrams;
    }

    /** Queues what the local end read. A datagram beyond {@link DatagramFlow#MAX_EARLY} waiting ones is dropped. */
    void add(ByteBuf buf) {
        if (datagrams && pending.size() >= DatagramFlow.MAX_EARLY) {
            drop(buf);
        } else {
            pending.add(buf);
        }
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    boolean hasCredit() {
        return sendLimit > sent;
    }

    long sent() {
        return sent;
    }

    long peerConsumed() {
        return peerConsumed;
    }

    long datagramsDropped() {
        return datagramsDropped;
    }

    /**
     * Sends DATA frames for {@code stream} while there is credit and the carrier takes more: a stream
     * never queues more than one chunk past the carrier's high-water mark. Datagrams that cannot go now
     * are dropped: late, they are worth less than lost.
     */
    void send(MuxSession session, MuxStream stream) {
        send(session, stream, Long.MAX_VALUE);
    }

    /** As {@link #send(MuxSession, MuxStream)}, at most {@code maxBytes} (a bandwidth limit's allowance). @return bytes sent */
    long send(MuxSession session, MuxStream stream, long maxBytes) {
        long before = sent;
        while (!pending.isEmpty() && sendLimit > sent && sent - before < maxBytes && session.writable(stream)) {
            ByteBuf b = pending.peek();
            int room = (int) Math.min(Math.min(sendLimit - sent, Wire.MAX_DATA_CHUNK), maxBytes - (sent - before));
            ByteBuf chunk;
            if (b.readableBytes() <= room) {
                chunk = pending.poll();
            } else if (datagrams) {
                // One DATA frame is one datagram: what does not fit whole is lost, as on a full UDP path.
                drop(pending.poll());
                continue;
            } else {
                chunk = b.readRetainedSlice(room);
            }
            sent += chunk.readableBytes();
            session.write(stream, new Message.Data(stream.id, chunk));
        }
        if (datagrams) {
            ByteBuf late;
            while ((late = pending.poll()) != null) {
                drop(late);
            }
        }
        return sent - before;
    }

    /** Protocol 1.0 credit. @return why the update is a lie, or null */
    String onWindowUpdate(int increment) {
        if (increment <= 0 || sendLimit - sent + increment > Integer.MAX_VALUE) {
            return "invalid window update of " + increment;
        }
        sendLimit += increment;
        return null;
    }

    /**
     * Protocol 1.1 credit: the peer allows bytes up to {@code maxOffset} and has consumed {@code consumed}.
     * An offset below one already granted changes nothing. @return why the offset is a lie (a consumed
     * offset beyond what was sent, a window beyond 2 GiB), or null
     */
    String onWindowOffset(long maxOffset, long consumed) {
        if (consumed > sent || maxOffset - sent > Integer.MAX_VALUE) {
            return "invalid window offset " + maxOffset + " (consumed " + consumed + ") after " + sent + " bytes sent";
        }
        peerConsumed = Math.max(peerConsumed, consumed);
        sendLimit = Math.max(sendLimit, maxOffset);
        return null;
    }

    private void drop(ByteBuf d) {
        d.release();
        datagramsDropped++;
    }

    void release() {
        ByteBuf b;
        while ((b = pending.poll()) != null) {
            b.release();
        }
    }
}
