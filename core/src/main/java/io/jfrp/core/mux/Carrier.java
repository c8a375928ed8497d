package io.jfrp.core.mux;

import io.jfrp.protocol.Message;

/**
 * What a {@link MuxSession} needs of whatever carries its frames to the peer: today a TCP or TLS
 * channel ({@link ChannelCarrier}); a WebSocket, KCP or QUIC channel later. The session calls these on
 * its own event loop; an implementation whose channel lives on another loop must accept that.
 */
public interface Carrier {

    /** Queues a frame; {@link #flush()} sends what was queued. */
    void write(Message m);

    void flush();

    /** False while the carrier's outbound queue is above its high-water mark: streams stop sending. */
    boolean isWritable();

    /**
     * The protocol features both sides have (Wire.FEATURE_*, agreed in HELLO and CHALLENGE): whether the
     * peer holds data sent before it confirmed a stream, and which forms of credit and STREAM_OPEN it reads.
     */
    int features();

    /** For log lines: the peer's address. */
    String peer();
}
