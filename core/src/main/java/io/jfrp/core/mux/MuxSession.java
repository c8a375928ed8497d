package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.jfrp.protocol.UserAddress;
import io.jfrp.protocol.Wire;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.EventExecutor;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream multiplexer of one session, created with it and living as long: it owns the stream id
 * space, the stream table, windows, early data, flush coalescing, memory and round-trip sampling. The
 * frames travel on {@link Carriers} (channels) that the session attaches and detaches: new streams on the
 * newest, each stream on the one it began on until it ends, so a client can move to a better channel
 * without breaking a stream. Losing a carrier aborts its streams (each local socket is reset), not the
 * others'. All state is touched on the session's event loop only; sockets
 * and carriers on other loops hop onto it (see {@link StreamRelay}, {@link ChannelCarrier}).
 */
public final class MuxSession {

    /** What the side that owns this session does when the peer opens or refuses a stream. */
    public interface StreamListener {
        /** The server asked to open a stream: dial, then call {@link #acceptStream} or {@link #rejectStream}. */
        default void onStreamOpen(MuxSession session, Message.StreamOpen open) {
            session.rejectStream(open.streamId(), "this side accepts no streams");
        }

        /** A stream this side opened was refused by the peer. */
        default void onStreamRefused(String proxyName, String userAddress, String reason) {
        }

        /** Both ends of a stream are connected (this side opened it and the peer confirmed, or the reverse). */
        default void onStreamOpened(String proxyName, int streamId, String userAddress) {
        }

        /** An opened stream ended; {@code broken} when by a reset or a lost carrier rather than a FIN each way. */
        default void onStreamClosed(String proxyName, int streamId, long bytesIn, long bytesOut, boolean broken) {
        }
    }

    private final IntObjectMap<MuxStream> streams = new IntObjectHashMap<>();
    /** Acceptor side: streams the peer opened whose local socket is still being dialled, with what came early. */
    private final IntObjectMap<EarlyFrames> opening = new IntObjectHashMap<>();
    private final List<MuxStream> blocked = new ArrayList<>();
    private final List<MuxStream> dirty = new ArrayList<>();
    private final StreamListener listener;
    private final int window;
    private final int maxWindow;
    private final SessionMemory memory;
    private final RoundTripSampler roundTrips = new RoundTripSampler(this);
    private final EventLoop loop;
    /** Where frames go; none while the session has no channel (then no stream exists). */
    private final Carriers carriers = new Carriers();
    private final StreamIds ids;
    private boolean flushScheduled;
    /** Each proxy's bandwidth limit on this side, by the name its streams carry; null for none. */
    private volatile java.util.function.Function<String, ByteRate> rates = name -> null;

    /**
     * @param opensStreams true on the side that opens streams (the server): it numbers them odd,
     *                     leaving even numbers for the other side.
     * @param window each stream's initial window; receivers grow it up to {@code maxWindow}
     * @param budget the memory every session of this server or client shares
     */
    public MuxSession(EventLoop loop, boolean opensStreams, int window, int maxWindow, MemoryBudget budget,
                      StreamListener listener) {
        this.loop = loop;
        this.ids = new StreamIds(opensStreams);
        this.window = window;
        this.maxWindow = maxWindow;
        this.memory = new SessionMemory(budget, streams);
        this.listener = listener;
    }

    public MuxSession(EventLoop loop, boolean opensStreams, MemoryBudget budget, StreamListener listener) {
        this(loop, opensStreams, Wire.INITIAL_WINDOW, Wire.MAX_WINDOW, budget, listener);
    }

    /** A session with a budget of its own, sized for this JVM: for tests and benchmarks of one session. */
    public MuxSession(EventLoop loop, boolean opensStreams, StreamListener listener) {
        this(loop, opensStreams, MemoryBudget.forThisJvm(), listener);
    }

    public EventLoop eventLoop() {
        return loop;
    }

    EventExecutor executor() {
        return loop;
    }

    /**
     * New streams go out on {@code c} from now on; streams on the carriers attached before stay on them
     * until they end or their carrier does.
     */
    void attach(Carrier c) {
        carriers.add(c);
    }

    /** {@code c} is gone: its streams with it. A carrier that is not attached changes nothing. */
    void detach(Carrier c) {
        if (carriers.remove(c)) {
            abandonStreams(c);
        }
    }

    /**
     * {@code c} takes no new streams from the peer's side either (the peer moved to a newer carrier), and
     * {@code drained} runs on this loop once no stream is on it: at once when none is.
     */
    public void retire(Carrier c, Runnable drained) {
        onLoop(() -> {
            carriers.retire(c, drained);
            checkDrained(c);
        });
    }

    /** Whether a carrier is attached: streams can be opened and accepted. */
    public boolean attached() {
        return !carriers.isEmpty();
    }

    int window() {
        return window;
    }

    /** Opener side: the peer holds data that arrives before it confirms a stream, so it is sent at once. */
    boolean earlyData(MuxStream s) {
        return (s.carrier.features() & Wire.FEATURE_EARLY_DATA) != 0;
    }

    /** Whether {@code c}'s peer agreed to {@code feature} (Wire.FEATURE_*). */
    private static boolean speaks(Carrier c, int feature) {
        return c != null && (c.features() & feature) != 0;
    }

    int maxWindow() {
        return maxWindow;
    }

    /**
     * Opens a stream for a user connection that was accepted with auto-read off. Reading starts when
     * the peer confirms the stream; a refusal closes the connection and reaches {@code onRefused}.
     */
    public void openStream(Channel user, String proxyName, long openTimeoutMillis) {
        open(new SocketEnd(user), proxyName, openTimeoutMillis);
    }

    /** Opens a stream for a UDP user address: its datagrams follow the open (as early data when the peer takes it). */
    public void openStream(DatagramFlow flow, String proxyName, long openTimeoutMillis) {
        open(flow, proxyName, openTimeoutMillis);
    }

    /** Opens a stream for one HTTP exchange (or what it turns into); the request follows the open as early data does. */
    public void openStream(ExchangeEnd exchange, String proxyName, long openTimeoutMillis) {
        open(exchange, proxyName, openTimeoutMillis);
    }

    private void open(LocalEnd end, String proxyName, long openTimeoutMillis) {
        if (!executor().inEventLoop()) {
            executor().execute(() -> open(end, proxyName, openTimeoutMillis));
            return;
        }
        Carrier on = carriers.newest();
        if (on == null) {
            end.abort();
            return;
        }
        InetSocketAddress address = end.remoteAddress();
        int id = ids.allocate(streams.size(), streams::containsKey);
        if (id == 0) {
            // Every id of this side is a live stream's: this connection waits for none of them to end.
            listener.onStreamRefused(proxyName, UserAddress.text(address), "no free stream id (" + streams.size()
                    + " streams open)");
            end.abort();
            return;
        }
        MuxStream stream = new MuxStream(this, on, id, end, proxyName, UserAddress.text(address), false);
        stream.limit(rates.apply(proxyName));
        add(stream);
        // STREAM_OPEN first: binding replays what the socket already delivered, which with early data
        // goes out at once and must not reach the peer before the stream it belongs to.
        write(stream, new Message.StreamOpen(id, proxyName, address, speaks(on, Wire.FEATURE_BINARY_ADDRESS)));
        end.bind(stream);
        requestFlush();
        stream.armOpenTimeout(openTimeoutMillis);
    }

    /** Where each new stream finds its proxy's bandwidth limit (frp's {@code transport.bandwidthLimit}) on this side. */
    public void limitBy(java.util.function.Function<String, ByteRate> rates) {
        this.rates = rates;
    }

    /** Where the next stream id search starts: tests of what happens when ids run out. */
    void nextStreamIdForTest(int id) {
        ids.startAt(id);
    }

    /** The live stream {@code id}, or null. */
    MuxStream stream(int id) {
        return streams.get(id);
    }

    /** A small id space, so a test can use it all up. */
    void maxStreamIdForTest(int max) {
        ids.limit(max);
    }

    /**
     * Grants the peer credit on stream {@code s} in the form it reads: protocol 1.1's absolute offset
     * (with what this side consumed), or 1.0's increment.
     */
    void grant(MuxStream s, int increment, long maxOffset, long consumed) {
        write(s, speaks(s.carrier, Wire.FEATURE_WINDOW_OFFSETS) ? new Message.WindowOffset(s.id, maxOffset, consumed)
                : new Message.WindowUpdate(s.id, increment));
        requestFlush();
    }

    /** Client side: the local service answered; bind it to the stream the peer opened. */
    public void acceptStream(Message.StreamOpen open, Channel local) {
        if (!executor().inEventLoop()) {
            executor().execute(() -> acceptStream(open, local));
            return;
        }
        EarlyFrames early = opening.remove(open.streamId());
        if (early == null) {
            // The carrier ended, or the peer reset the stream while the local service was being dialled.
            LocalSockets.abort(local);
            return;
        }
        LocalEnd end = new SocketEnd(local);
        MuxStream stream = new MuxStream(this, early.from, open.streamId(), end, open.proxyName(), open.userAddress(),
                true);
        stream.limit(rates.apply(open.proxyName()));
        add(stream);
        opened(stream);
        end.bind(stream);
        write(stream, new Message.StreamOpenOk(open.streamId()));
        requestFlush();
        early.replayInto(stream);
        stream.flushToLocal();
    }

    /**
     * A stream stays in the table until it has ended and its local socket has closed: one whose socket
     * closed may still send what it read and wait for credit to do so, and one that ended cleanly may
     * still hold bytes its reader has not taken, which the memory limit must be able to find.
     */
    private void add(MuxStream stream) {
        streams.put(stream.id, stream);
        stream.local.onClosed(() -> onLoop(() -> localClosed(stream)));
    }

    /** Runs {@code r} on the session's loop: now when called there, else as a task. */
    void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    private void localClosed(MuxStream stream) {
        stream.localClosed = true;
        removeIfDone(stream);
    }

    public void rejectStream(int streamId, String reason) {
        if (!executor().inEventLoop()) {
            executor().execute(() -> rejectStream(streamId, reason));
            return;
        }
        EarlyFrames early = opening.remove(streamId);
        if (early == null) {
            return; // its carrier ended, or the peer reset it meanwhile
        }
        early.release();
        if (carriers.has(early.from)) {
            early.from.write(new Message.StreamOpenFail(streamId, reason));
            requestFlush();
            checkDrained(early.from);
        }
    }

    /** Queues a frame on the newest carrier; {@link #requestFlush()} sends it. Without a carrier it is dropped. */
    void write(Message m) {
        Carrier c = carriers.newest();
        if (c != null) {
            c.write(m);
        } else {
            ReferenceCountUtil.release(m);
        }
    }

    /** Queues a frame of {@code s} on its carrier; dropped when that carrier is gone (and the stream with it). */
    void write(MuxStream s, Message m) {
        if (carriers.has(s.carrier)) {
            s.carrier.write(m);
        } else {
            ReferenceCountUtil.release(m);
        }
    }

    /** Coalesces flushes: everything written in this turn of the event loop goes out in one flush. */
    void requestFlush() {
        if (!executor().inEventLoop()) {
            executor().execute(this::requestFlush);
            return;
        }
        if (!flushScheduled) {
            flushScheduled = true;
            executor().execute(flushTask);
        }
    }

    /** One task object for every coalesced flush: this runs for nearly every read of a busy session. */
    private final Runnable flushTask = () -> {
        flushScheduled = false;
        carriers.flushAll();
    };

    /** Whether the carrier of {@code s} takes more frames now. */
    boolean writable(MuxStream s) {
        return carriers.has(s.carrier) && s.carrier.isWritable();
    }

    void blockOnChannel(MuxStream s) {
        blocked.add(s);
    }

    void markDirty(MuxStream s) {
        if (!s.dirty) {
            s.dirty = true;
            dirty.add(s);
        }
    }

    void removeIfDone(MuxStream stream) {
        if (stream.ended() && stream.localClosed && streams.get(stream.id) == stream) {
            streams.remove(stream.id);
            checkDrained(stream.carrier);
        }
    }

    /** When {@code c} is retired and carries no stream (or stream being opened) any more, its owner hears so. */
    private void checkDrained(Carrier c) {
        if (!carriers.anyRetired() || !carriers.isRetired(c)) {
            return;
        }
        for (MuxStream s : streams.values()) {
            if (s.carrier == c) {
                return;
            }
        }
        for (EarlyFrames e : opening.values()) {
            if (e.from == c) {
                return;
            }
        }
        Runnable drained = carriers.drained(c);
        if (drained != null) {
            drained.run();
        }
    }

    SessionMemory memory() {
        return memory;
    }

    RoundTripSampler roundTrips() {
        return roundTrips;
    }

    void refused(MuxStream s, String reason) {
        listener.onStreamRefused(s.proxyName, s.userAddress, reason);
    }

    void opened(MuxStream s) {
        listener.onStreamOpened(s.proxyName, s.id, s.userAddress);
    }

    void closed(MuxStream s, long bytesIn, long bytesOut, boolean broken) {
        listener.onStreamClosed(s.proxyName, s.id, bytesIn, bytesOut, broken);
    }

    void onPong(Message.Pong p) {
        roundTrips.onPong(p);
    }

    /**
     * A stream frame from {@code from}. Frames of a carrier that is gone are dropped, and so are frames
     * of a stream that arrive on another carrier than its own: the peer keeps each stream on one.
     */
    void onFrame(Carrier from, Message m) {
        if (!carriers.has(from)) {
            ReferenceCountUtil.release(m);
            return;
        }
        if (m instanceof Message.StreamOpen open) {
            if (streams.containsKey(open.streamId()) || opening.containsKey(open.streamId())) {
                from.write(new Message.Reset(open.streamId(), "stream id already in use"));
                requestFlush();
                return;
            }
            opening.put(open.streamId(), new EarlyFrames(from));
            listener.onStreamOpen(this, open);
            return;
        }
        MuxStream s = streams.get(m.streamId());
        if (s == null) {
            EarlyFrames early = opening.get(m.streamId());
            if (early != null && early.from == from) {
                String violation = early.add(m, window);
                if (violation != null || m instanceof Message.Reset) {
                    opening.remove(m.streamId());
                    early.release();
                    if (violation != null) {
                        from.write(new Message.Reset(m.streamId(), violation));
                        requestFlush();
                    }
                    checkDrained(from);
                }
                return;
            }
            // Late frames for a stream that just ended are normal; drop them. A confirmation for a stream
            // this side already gave up on gets a reset, so the peer closes the socket it just opened.
            if (m instanceof Message.StreamOpenOk && early == null) {
                from.write(new Message.Reset(m.streamId(), "the stream was closed before it opened"));
                requestFlush();
            }
            ReferenceCountUtil.release(m);
            return;
        }
        if (s.carrier != from) {
            ReferenceCountUtil.release(m);
            return;
        }
        if (m instanceof Message.Data d) {
            s.onRemoteData(d.payload().retain());
            d.release();
        } else if (m instanceof Message.WindowUpdate w) {
            s.onWindowUpdate(w.increment());
        } else if (m instanceof Message.WindowOffset w) {
            s.onWindowOffset(w.maxOffset(), w.consumed());
        } else if (m instanceof Message.StreamOpenOk) {
            s.onOpenOk();
        } else if (m instanceof Message.StreamOpenFail f) {
            s.onOpenFail(f.reason());
        } else if (m instanceof Message.Fin) {
            s.onRemoteFin();
        } else if (m instanceof Message.Reset r) {
            s.onRemoteReset(r.reason());
        }
    }

    /** The carrier finished a read: what arrived for local sockets is written to them now, one write each. */
    void onReadComplete(Carrier from) {
        if (!dirty.isEmpty() && carriers.has(from)) {
            for (MuxStream s : dirty) {
                s.dirty = false;
                s.flushToLocal();
            }
            dirty.clear();
        }
    }

    /** The carrier takes writes again: streams it parked send and read again. */
    void onWritable(Carrier from) {
        if (blocked.isEmpty() || !carriers.has(from) || !from.isWritable()) {
            return;
        }
        List<MuxStream> wake = new ArrayList<>(blocked.size());
        blocked.removeIf(s -> s.carrier == from && wake.add(s));
        for (MuxStream s : wake) {
            s.blocked = false;
            s.onChannelWritable();
        }
    }

    /** Carrier {@code c} is gone: none of its streams can complete, so their local sockets are reset. */
    private void abandonStreams(Carrier c) {
        // The PING in flight may have gone with it; the next sample starts afresh either way.
        roundTrips.clear();
        opening.values().removeIf(e -> {
            if (e.from == c) {
                e.release();
                return true;
            }
            return false;
        });
        List<MuxStream> gone = new ArrayList<>();
        streams.values().removeIf(s -> s.carrier == c && gone.add(s));
        blocked.removeIf(s -> s.carrier == c);
        dirty.removeIf(s -> {
            if (s.carrier == c) {
                s.dirty = false;
                return true;
            }
            return false;
        });
        gone.forEach(MuxStream::abort);
    }

}
