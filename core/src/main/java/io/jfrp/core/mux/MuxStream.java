package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.util.concurrent.ScheduledFuture;

import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One user connection tunnelled through a {@link MuxSession}: the local socket on this side, the
 * send window granted by the peer, the bytes read locally that wait for credit, and the half-close
 * state of each direction. Every method runs on the session's event loop.
 */
final class MuxStream {

    final MuxSession session;
    final int id;
    final Channel local;
    final String proxyName;
    final String userAddress;

    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private int sendWindow;
    /** How many bytes this side lets the peer have in flight on this stream; grows, never shrinks. */
    private int receiveWindow;
    private int receiveAllowance;
    private int unacknowledged;
    /** Data arrived while the local socket's queue was over its high-water mark since the last grant. */
    private boolean localLagging;
    private boolean established;
    /** The local socket will send no more: send FIN (or RESET when {@link #localGone}) after pending. */
    private boolean localInputDone;
    private boolean localGone;
    private boolean finSent;
    private boolean outputShut;
    private boolean ended;
    private ScheduledFuture<?> openTimeout;
    boolean blocked;
    boolean dirty;

    MuxStream(MuxSession session, int id, Channel local, String proxyName, String userAddress, boolean established) {
        this.session = session;
        this.id = id;
        this.local = local;
        this.proxyName = proxyName;
        this.userAddress = userAddress;
        this.established = established;
        this.sendWindow = session.window();
        this.receiveWindow = session.window();
        this.receiveAllowance = session.window();
    }

    void armOpenTimeout(long millis) {
        openTimeout = session.executor().schedule(() -> {
            if (!established && !ended) {
                session.refused(this, "the client did not open the stream within " + millis + " ms");
                session.write(new Message.Reset(id, "open timed out"));
                session.requestFlush();
                end();
                local.close();
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    // ---- local socket -> peer

    void onLocalData(ByteBuf buf) {
        if (ended || localInputDone) {
            buf.release();
            return;
        }
        pending.add(buf);
        drain();
    }

    void onLocalInputShutdown() {
        if (!ended && !localInputDone) {
            localInputDone = true;
            drain();
        }
    }

    void onLocalInactive() {
        if (ended) {
            return;
        }
        if (outputShut && established) {
            // This side half-closed the socket (see halfClose), and it closed once its input ended.
            onLocalInputShutdown();
            return;
        }
        localGone = true;
        localInputDone = true;
        outputShut = true;
        if (!established) {
            // The user left before the client confirmed; tell the peer so it drops its side.
            session.write(new Message.Reset(id, "user closed before the stream opened"));
            session.requestFlush();
            end();
            return;
        }
        drain();
    }

    private void drain() {
        if (!maySend()) {
            // Epoll reads a peer's data and FIN even with auto-read off; hold them until the peer has the stream.
            return;
        }
        while (!pending.isEmpty() && sendWindow > 0) {
            ByteBuf b = pending.peek();
            int n = Math.min(Math.min(b.readableBytes(), sendWindow), Wire.MAX_DATA_CHUNK);
            ByteBuf chunk;
            if (n == b.readableBytes()) {
                chunk = pending.poll();
            } else {
                chunk = b.readRetainedSlice(n);
            }
            sendWindow -= n;
            session.write(new Message.Data(id, chunk));
        }
        session.requestFlush();
        if (pending.isEmpty() && localInputDone && !finSent) {
            finSent = true;
            if (localGone) {
                session.write(new Message.Reset(id, "closed"));
                end();
                return;
            }
            session.write(new Message.Fin(id));
            maybeFinish();
            if (ended) {
                return;
            }
        }
        updateReading();
    }

    /** Once the peer has the stream, or before that when it holds early data until its dial completes. */
    private boolean maySend() {
        return established || session.earlyData();
    }

    /** Reads from the local socket only while there is credit, nothing queued, and room on the channel. */
    void updateReading() {
        if (ended || localGone) {
            return;
        }
        boolean channelWritable = session.writable();
        boolean want = maySend() && !localInputDone && pending.isEmpty() && sendWindow > 0 && channelWritable;
        if (!channelWritable && !blocked) {
            blocked = true;
            session.blockOnChannel(this);
        }
        if (local.config().isAutoRead() != want) {
            local.config().setAutoRead(want);
        }
    }

    void onWindowUpdate(int increment) {
        if (increment <= 0 || (long) sendWindow + increment > Integer.MAX_VALUE) {
            protocolReset("invalid window update of " + increment);
            return;
        }
        sendWindow += increment;
        drain();
    }

    // ---- peer -> local socket

    void onRemoteData(ByteBuf payload) {
        int n = payload.readableBytes();
        if (n > receiveAllowance) {
            payload.release();
            protocolReset("peer sent " + n + " bytes with a window of " + receiveAllowance);
            return;
        }
        receiveAllowance -= n;
        if (localGone || outputShut) {
            payload.release();
            credit(n);
            return;
        }
        if (!local.isWritable()) {
            localLagging = true;
        }
        local.write(payload).addListener(f -> credit(n));
        session.markDirty(this);
    }

    /**
     * The local socket took {@code n} bytes: grant them back to the peer in batches. When the peer had
     * used (nearly) the whole window and the local socket kept up (its queue was under the high-water
     * mark whenever data arrived), the window is what limits the stream: grant extra, doubling it up to
     * {@link Wire#MAX_WINDOW}. A stalled reader never returns credit, so it keeps the small initial
     * window; a slow one stops growing once its queue passes the high-water mark.
     */
    private void credit(int n) {
        if (!session.executor().inEventLoop()) {
            session.executor().execute(() -> credit(n));
            return;
        }
        if (ended) {
            return;
        }
        unacknowledged += n;
        if (unacknowledged >= receiveWindow / 4 || receiveAllowance == 0) {
            int grant = unacknowledged;
            if (receiveWindow < session.maxWindow() && receiveAllowance <= receiveWindow / 4
                    && !localLagging) {
                int extra = Math.min(receiveWindow, session.maxWindow() - receiveWindow);
                receiveWindow += extra;
                grant += extra;
            }
            receiveAllowance += grant;
            localLagging = false;
            session.write(new Message.WindowUpdate(id, grant));
            session.requestFlush();
            unacknowledged = 0;
        }
    }

    void onOpenOk() {
        if (established) {
            return;
        }
        established = true;
        if (openTimeout != null) {
            openTimeout.cancel(false);
        }
        drain();
    }

    void onOpenFail(String reason) {
        if (openTimeout != null) {
            openTimeout.cancel(false);
        }
        session.refused(this, reason);
        end();
        local.close();
    }

    void onRemoteFin() {
        if (outputShut) {
            return;
        }
        outputShut = true;
        if (finSent) {
            // Both directions are done: a close after the queued bytes sends the same FIN, without a
            // shutdown call (and the exception Netty builds for every shutdownOutput) first.
            endAndCloseAfterQueued();
            return;
        }
        if (local instanceof DuplexChannel duplex) {
            // Half-close only after every queued byte reached the socket, from a task of its own: Netty
            // fills a stack trace into the exception it builds for every shutdownOutput, and from inside
            // the session's read and the flush it is three times as deep (5% of a server's CPU under
            // short-lived connections).
            local.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> local.eventLoop().execute(() -> halfClose(duplex)));
        } else {
            local.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void halfClose(DuplexChannel duplex) {
        if (duplex.config() instanceof SocketChannelConfig c) {
            // From now on the socket's end of input closes it. With half-closure on, Netty would first call
            // shutdown(SHUT_RD), which fails with ENOTCONN (and another exception) whenever the other end
            // closed in answer to our FIN, as most do. onLocalInactive reads that close as a normal end.
            c.setAllowHalfClosure(false);
        }
        duplex.shutdownOutput().addListener(x -> session.executor().execute(this::maybeFinish));
    }

    void onRemoteReset(String reason) {
        endAndCloseAfterQueued();
    }

    private void endAndCloseAfterQueued() {
        end();
        local.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void protocolReset(String reason) {
        LoggerFactory.getLogger(MuxStream.class).warn("proxy {}: stream {} reset: {}", proxyName, id, reason);
        session.write(new Message.Reset(id, reason));
        session.requestFlush();
        end();
        local.close();
    }

    private void maybeFinish() {
        if (!ended && finSent && outputShut) {
            end();
            local.close();
        }
    }

    /** The channel went away: close the local socket after what it has queued. */
    void abandon() {
        releasePending();
        ended = true;
        if (openTimeout != null) {
            openTimeout.cancel(false);
        }
        local.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void end() {
        if (!ended) {
            ended = true;
            releasePending();
            session.remove(this);
        }
    }

    private void releasePending() {
        ByteBuf b;
        while ((b = pending.poll()) != null) {
            b.release();
        }
    }
}
