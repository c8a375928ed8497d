package io.jfrp.core.mux;

import io.jfrp.protocol.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures, per stream, what arrives within one round trip of its session: a PING goes out when data
 * flows (one in flight, at most every {@link #SPACING_NANOS}), and every stream that could use a
 * larger window counts its bytes until the PONG. Over a long link the data in flight is in the
 * network, not queued here, so this is the only way a receiver can tell that the window limits a
 * stream (see {@link MuxStream#onRoundTripSample}). A stream joins once it has received an eighth of its
 * window ({@link #JOIN_SHARE}) since it last did: one that the window limits gets there within a
 * round trip, and a chatty one (a request, an answer, a wait) does not send a PING every few
 * milliseconds for a window it never fills: at 100 round trips a second each one had a PING and a PONG
 * with it, 4 sends, 4 reads and 4 wake-ups per process instead of 2 (strace). Runs on the session's event loop.
 */
final class RoundTripSampler {

    static final long SPACING_NANOS = 5_000_000;
    static final int JOIN_SHARE = 8;

    private final MuxSession session;
    private final List<MuxStream> sampling = new ArrayList<>();
    private long ping;
    private boolean inFlight;
    private long lastStart;

    RoundTripSampler(MuxSession session) {
        this.session = session;
    }

    /** {@code s} received data: it counts towards the current sample, which starts now if none runs. */
    void join(MuxStream s) {
        if (s.receiveWindow() >= session.maxWindow() || s.bytesSinceSample < s.receiveWindow() / JOIN_SHARE) {
            return;
        }
        if (!inFlight) {
            long now = System.nanoTime();
            if (now - lastStart < SPACING_NANOS) {
                return;
            }
            lastStart = now;
            inFlight = true;
            ping = now;
            session.write(new Message.Ping(now));
            session.requestFlush();
        }
        s.sampled = true;
        s.bytesThisRoundTrip = 0;
        s.bytesSinceSample = 0;
        sampling.add(s);
    }

    /**
     * A PONG arrived: when it answers this sampler's PING, every counting stream gets its figure. One that
     * answers a later PING (a heartbeat's: they share the channel and this clock) means this sampler's was
     * never answered: a peer whose channel is full answers only the newest PING it owes ({@link PingResponder}).
     * The sample is then dropped, or it would wait for ever and no window of the session would grow again.
     */
    void onPong(Message.Pong p) {
        if (!inFlight) {
            return;
        }
        if (p.sentNanos() != ping) {
            if (p.sentNanos() - ping > 0) {
                clear();
            }
            return;
        }
        inFlight = false;
        for (MuxStream s : sampling) {
            s.sampled = false;
            int bytes = s.bytesThisRoundTrip;
            s.bytesThisRoundTrip = 0;
            s.onRoundTripSample(bytes);
        }
        sampling.clear();
    }

    /**
     * The PING in flight will never be answered (its carrier is gone, or the peer dropped its PONG): the
     * sample ends without a figure, so that the next data can start another.
     */
    void clear() {
        for (MuxStream s : sampling) {
            s.sampled = false;
            s.bytesThisRoundTrip = 0;
        }
        sampling.clear();
        inFlight = false;
    }
}
