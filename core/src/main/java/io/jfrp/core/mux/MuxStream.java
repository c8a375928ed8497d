package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;

import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One user connection tunnelled through a {@link MuxSession}: its end on this side ({@link LocalEnd}), the
 * send window granted by the peer, the bytes read locally that wait for credit, the bytes from the
 * peer that wait for the local socket, and the half-close state of each direction. Every method runs
 * on the session's event loop.
 * <p>
 * Bytes from the peer reach the local end only while it is writable; the rest waits in {@link PeerBytes},
 * charged to the session's {@link MemoryBudget} from arrival until the local end has taken them.
 */
final class MuxStream {

    final MuxSession session;
    /** The carrier this stream's frames travel on, both ways, for its whole life. */
    final Carrier carrier;
    final int id;
    final LocalEnd local;
    final String proxyName;
    final String userAddress;

    /** Read locally and waiting for credit, the credit, and what was sent. */
    private final SendQueue out;
    /** From the peer, waiting for the local end to take it. */
    final PeerBytes toLocal;
    /** What this side's local end took of what the peer sent (or was dropped for it): told with each credit. */
    private long consumed;
    private final ReceiveWindow receiveWindow;
    /** Bytes from the peer since the session's current round-trip sample began (see RoundTripSampler). */
    int bytesThisRoundTrip;
    boolean sampled;
    /** Bytes from the peer since this stream last joined a sample: a stream joins only after a share of its window. */
    long bytesSinceSample;
    private boolean established;
    /** The local socket will send no more: send FIN (or RESET when {@link #localGone}) after pending. */
    private boolean localInputDone;
    private boolean localGone;
    /** The local socket failed (a reset, an I/O error): its end is an abort, never a clean end of input. */
    private boolean localBroken;
    private boolean finSent;
    private boolean outputShut;
    private boolean ended;
    /** The local socket has closed; with {@link #ended}, the session forgets the stream. */
    boolean localClosed;
    private ScheduledFuture<?> openTimeout;
    /** This stream's share of its proxy's bandwidth limit; null for none. */
    private StreamPacer pacer;
    /** The peer's FIN, held while bytes before it wait for the limit. */
    private boolean finWaiting;
    /** Bytes that arrived from the peer, for the stream's closing event (what left is {@link SendQueue#sent}). */
    private long bytesIn;
    /** The stream ended by a reset, an abort or a local socket that vanished: not by a FIN each way. */
    private boolean broken;
    boolean blocked;
    boolean dirty;

    MuxStream(MuxSession session, Carrier carrier, int id, LocalEnd local, String proxyName, String userAddress,
              boolean established) {
        this.session = session;
        this.carrier = carrier;
        this.id = id;
        this.local = local;
        this.proxyName = proxyName;
        this.userAddress = userAddress;
        this.established = established;
        // A datagram end's reads and writes are one datagram each: never split, merged, or waited for.
        this.toLocal = new PeerBytes(local.datagrams());
        this.out = new SendQueue(session.window(), local.datagrams());
        this.receiveWindow = new ReceiveWindow(session);
    }

    void armOpenTimeout(long millis) {
        openTimeout = session.executor().schedule(() -> {
            if (!established && !ended) {
                session.refused(this, "the client did not open the stream within " + millis + " ms");
                resetAndAbort("open timed out");
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    boolean ended() {
        return ended;
    }

    int receiveWindow() {
        return receiveWindow.size();
    }

    // ---- local socket -> peer

    /** Limits this stream, with the other streams of its proxy, to {@code r} (both directions counted). */
    void limit(ByteRate r) {
        this.pacer = r == null ? null : new StreamPacer(r, session.executor(), this::paced);
    }

    void onLocalData(ByteBuf buf) {
        if (ended || localInputDone) {
            buf.release();
            return;
        }
        out.add(buf);
        drain();
    }

    long datagramsDropped() {
        return out.datagramsDropped();
    }

    void onLocalInputShutdown() {
        if (!ended && !localInputDone && !localBroken) {
            localInputDone = true;
            drain();
        }
    }

    /** The local socket failed; its close follows. */
    void onLocalBroken() {
        localBroken = true;
    }

    void onLocalInactive() {
        if (ended) {
            return;
        }
        if (outputShut && established && !localBroken) {
            // This side half-closed the socket (see halfClose), and it closed once its input ended.
            onLocalInputShutdown();
            if (!ended && finSent) {
                maybeFinish();
            }
            return;
        }
        localGone = true;
        outputShut = true;
        dropHeld();
        if (!established) {
            // The user left before the client confirmed; tell the peer so it drops its side.
            session.write(this, new Message.Reset(id, "the user closed before the stream opened"));
            session.requestFlush();
            end();
            return;
        }
        if (localInputDone && finSent) {
            // Its FIN already went out, but the peer may still be sending: it must learn the socket is gone.
            session.write(this, new Message.Reset(id, goneReason()));
            session.requestFlush();
            broken = true;
            end();
            return;
        }
        localInputDone = true;
        drain();
    }

    /** Why the local socket's end is passed on as a RESET. */
    private String goneReason() {
        return localBroken ? "connection reset" : "connection closed";
    }

    private void drain() {
        if (!maySend()) {
            // Epoll reads a peer's data and FIN even with auto-read off; hold them until the peer has the stream.
            return;
        }
        if (pacer == null) {
            out.send(session, this);
        } else if (pacer.allows()) {
            // Paced where bytes leave, not where they are read: epoll reads a socket's last bytes with its FIN
            // whatever reading is set to, and those too must wait their turn.
            pacer.spend(out.send(session, this, pacer.allowance()));
            if (!out.isEmpty() && out.hasCredit()) {
                pacer.allows(); // what is left waits for the limit: a wake-up is due when it may go
            }
        }
        session.requestFlush();
        if (out.isEmpty() && localInputDone && !finSent) {
            finSent = true;
            if (localGone) {
                // The local socket failed or vanished: the peer must abort its end, not see a clean end.
                session.write(this, new Message.Reset(id, goneReason()));
                broken = true;
                end();
                return;
            }
            session.write(this, new Message.Fin(id));
            maybeFinish();
            if (ended) {
                return;
            }
        }
        updateReading();
    }

    /** Once the peer has the stream, or before that when it holds early data until its dial completes. */
    private boolean maySend() {
        return established || session.earlyData(this);
    }

    /** Reads from the local socket only while there is credit, nothing queued, and room on the channel. */
    void updateReading() {
        if (ended || localGone) {
            return;
        }
        boolean channelWritable = session.writable(this);
        boolean want = maySend() && !localInputDone && out.isEmpty() && out.hasCredit() && channelWritable;
        if (!channelWritable && !blocked) {
            blocked = true;
            session.blockOnChannel(this);
        }
        local.reading(want);
    }

    /** The channel takes writes again: send what waited, then read again if there is credit. */
    void onChannelWritable() {
        if (!ended) {
            drain();
        }
    }

    void onWindowUpdate(int increment) {
        String lie = out.onWindowUpdate(increment);
        if (lie != null) {
            protocolReset(lie);
        } else {
            drain();
        }
    }

    /** Protocol 1.1 credit; a lie resets the stream (see {@link SendQueue#onWindowOffset}). */
    void onWindowOffset(long maxOffset, long consumed) {
        String lie = out.onWindowOffset(maxOffset, consumed);
        if (lie != null) {
            protocolReset(lie);
        } else {
            drain();
        }
    }

    long peerConsumed() {
        return out.peerConsumed();
    }

    // ---- peer -> local socket

    void onRemoteData(ByteBuf payload) {
        int n = payload.readableBytes();
        if (!receiveWindow.take(n)) {
            payload.release();
            protocolReset("peer sent " + n + " bytes with a window of " + receiveWindow.allowance());
            return;
        }
        if (!sampled) {
            bytesSinceSample += n;
            session.roundTrips().join(this);
        }
        if (sampled) {
            bytesThisRoundTrip += n;
        }
        bytesIn += n;
        if (ended || localGone || outputShut) {
            payload.release();
            credit(n);
            return;
        }
        long cost = toLocal.add(payload, local.alloc());
        session.markDirty(this);
        // Last: past a limit the session aborts its largest holder, which may be this stream.
        session.memory().charge(cost);
    }

    /** Writes what waits while the local socket takes more; called once per read of the channel. */
    void flushToLocal() {
        boolean wrote = false;
        ByteBuf b;
        while (local.isWritable() && !toLocal.isEmpty() && (pacer == null || pacer.allows())) {
            b = toLocal.poll();
            if (pacer != null) {
                pacer.spend(b.readableBytes());
            }
            writeLocal(b);
            wrote = true;
        }
        if (finWaiting && toLocal.isEmpty()) {
            finWaiting = false;
            endOutput();
        }
        if (!toLocal.isEmpty()) {
            receiveWindow.lagging();
        }
        if (wrote) {
            local.flush();
        }
    }

    /** The local socket's queue drained below its low-water mark. */
    void onLocalWritable() {
        if (!ended && !toLocal.isEmpty()) {
            flushToLocal();
        }
    }

    /**
     * A write to the local socket completed. One that failed means the socket broke (Netty then closes it
     * without an exception event), so its close must not pass for the end of its input.
     */
    private void tookLocally(int n, boolean written) {
        if (!session.executor().inEventLoop()) {
            session.executor().execute(() -> tookLocally(n, written));
            return;
        }
        if (!written) {
            localBroken = true;
        }
        session.memory().release(toLocal.written(n));
        credit(n);
    }

    /** The local end took {@code n} bytes: the peer gets them back as credit, in batches. */
    private void credit(int n) {
        consumed += n;
        if (ended) {
            return;
        }
        int grant = receiveWindow.credit(n);
        if (grant > 0) {
            session.grant(this, grant, receiveWindow.limit(), consumed);
        }
    }

    /** The session saw this stream receive {@code bytes} in one round trip (see {@link ReceiveWindow#onRoundTrip}). */
    void onRoundTripSample(int bytes) {
        if (ended || localGone) {
            return;
        }
        int extra = receiveWindow.onRoundTrip(bytes, toLocal.held());
        if (extra > 0) {
            session.grant(this, extra, receiveWindow.limit(), consumed);
        }
    }

    void onOpenOk() {
        if (established || ended) {
            return;
        }
        established = true;
        if (openTimeout != null) {
            openTimeout.cancel(false);
        }
        session.opened(this);
        drain();
    }

    void onOpenFail(String reason) {
        if (ended) {
            return;
        }
        if (openTimeout != null) {
            openTimeout.cancel(false);
        }
        session.refused(this, reason);
        abort();
    }

    void onRemoteFin() {
        if (outputShut || ended || finWaiting) {
            return;
        }
        if (pacer != null && !toLocal.isEmpty()) {
            // What came before the FIN goes at the limit's pace first; flushToLocal ends the output after it.
            finWaiting = true;
            return;
        }
        endOutput();
    }

    /** The bandwidth limit lets bytes go again: both directions resume. */
    private void paced() {
        if (!ended) {
            flushToLocal();
            drain();
        }
    }

    private void endOutput() {
        outputShut = true;
        if (finSent) {
            // Both directions are done: a close after the queued bytes sends the same FIN, without a
            // shutdown call (and the exception Netty builds for every shutdownOutput) first.
            end();
            afterQueued(local::close);
            return;
        }
        if (local.canHalfClose()) {
            // Half-close only after every queued byte reached the socket.
            afterQueued(() -> local.shutdownOutput(() -> session.executor().execute(this::maybeFinish)));
        } else {
            afterQueued(local::close);
        }
    }

    /**
     * Runs {@code then} once every byte from the peer has reached the local socket's kernel buffer. What
     * still waits for the socket to be writable is written now: Netty queues it in order, and the budget
     * is released as each write completes.
     */
    private void afterQueued(Runnable then) {
        ByteBuf b;
        while ((b = toLocal.poll()) != null) {
            writeLocal(b);
        }
        local.afterWrites(then);
    }

    private void writeLocal(ByteBuf b) {
        int n = b.readableBytes();
        local.write(b, written -> tookLocally(n, written));
    }

    /** The peer's end is gone (its socket reset, its process or channel lost): so is ours, with a reset. */
    void onRemoteReset(String reason) {
        abort();
    }

    private void protocolReset(String reason) {
        LoggerFactory.getLogger(MuxStream.class).warn("proxy {}: stream {} reset: {}", proxyName, id, reason);
        resetAndAbort(reason);
    }

    /**
     * Tells the peer to abort its end, and aborts this one. A stream that ended already (both directions
     * done) may still hold bytes its reader never took: those go too, without a word to the peer.
     */
    void resetAndAbort(String reason) {
        if (!ended) {
            session.write(this, new Message.Reset(id, reason));
            session.requestFlush();
        }
        abort();
    }

    private void maybeFinish() {
        if (!ended && finSent && outputShut) {
            end();
            local.close();
        }
    }

    /**
     * Ends the stream as broken: what it holds is dropped and the local socket gets a reset (RST). Also
     * what a lost channel does to every stream: it cannot complete, so it must not end cleanly.
     */
    void abort() {
        broken = true;
        end();
        dropHeld();
        local.abort();
    }

    private void end() {
        if (!ended) {
            ended = true;
            if (openTimeout != null) {
                openTimeout.cancel(false);
            }
            if (pacer != null) {
                pacer.stop();
            }
            releasePending();
            if (established) {
                session.closed(this, bytesIn, out.sent(), broken);
            }
            session.removeIfDone(this);
        }
    }

    private void dropHeld() {
        session.memory().release(toLocal.drop());
    }

    private void releasePending() {
        out.release();
    }
}
