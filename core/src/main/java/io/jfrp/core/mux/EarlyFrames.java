package io.jfrp.core.mux;

import io.jfrp.protocol.Message;

import java.util.ArrayDeque;

/**
 * What the opener sent on a stream before this side confirmed it (Wire.FEATURE_EARLY_DATA): its data,
 * bounded by the stream's initial window, and whether it half-closed. Held while the local service is
 * dialled, then replayed into the stream in order, or released when the stream is refused or reset.
 */
final class EarlyFrames {

    /** The carrier the stream was opened on: its stream, once accepted, stays there. */
    final Carrier from;
    private final ArrayDeque<Message.Data> data = new ArrayDeque<>();
    private int bytes;
    private boolean fin;

    EarlyFrames(Carrier from) {
        this.from = from;
    }

    /**
     * Takes ownership of a DATA frame. @return why the peer broke the protocol, or null
     */
    String add(Message m, int window) {
        if (m instanceof Message.Data d) {
            int n = d.payload().readableBytes();
            if (fin || (long) bytes + n > window) {
                d.release();
                return fin ? "data after FIN" : "early data beyond the initial window of " + window + " bytes";
            }
            bytes += n;
            data.add(d);
        } else if (m instanceof Message.Fin) {
            fin = true;
        }
        return null;
    }

    /** @return true when bytes went to the stream's socket (the caller flushes it) */
    boolean replayInto(MuxStream s) {
        boolean wrote = !data.isEmpty();
        Message.Data d;
        while ((d = data.poll()) != null) {
            s.onRemoteData(d.payload().retain());
            d.release();
        }
        if (fin) {
            s.onRemoteFin();
        }
        return wrote;
    }

    void release() {
        Message.Data d;
        while ((d = data.poll()) != null) {
            d.release();
        }
    }
}
