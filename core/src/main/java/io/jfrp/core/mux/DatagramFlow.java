package io.jfrp.core.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One user address of a UDP proxy, as a stream's {@link LocalEnd}: the datagrams that address sends to
 * the proxy's port (handed in by the port, which owns the one socket all its flows share) and the
 * replies, sent to it from that same socket, so the user hears back from the port it wrote to.
 * <p>
 * UDP has no end of its own: a flow ends when it has neither sent nor received for its idle timeout,
 * as a clean end (a FIN: the client closes its socket to the service), and with its stream. Either way
 * it leaves its port's table at once, so the address's next datagram starts a new flow. Runs on the
 * loop of the proxy's socket, which is its session's.
 */
public final class DatagramFlow implements LocalEnd {

    /** Datagrams kept while the stream is being opened; more are dropped, as a full UDP buffer would. */
    static final int MAX_EARLY = 32;

    private final Channel socket;
    private final InetSocketAddress user;
    private final long idleNanos;
    private final Runnable detach;
    private final List<Runnable> closeListeners = new ArrayList<>(1);
    private ArrayDeque<ByteBuf> early = new ArrayDeque<>(4);
    private MuxStream stream;
    private long lastActive = System.nanoTime();
    private ScheduledFuture<?> idleCheck;
    private ChannelFuture lastWrite;
    private boolean detached;
    private boolean inputDone;
    private boolean closed;

    /**
     * @param socket the proxy's datagram socket, shared by all its flows
     * @param detach takes the flow out of its port's table: called once, when it idles out or closes
     */
    public DatagramFlow(Channel socket, InetSocketAddress user, Duration idleTimeout, Runnable detach) {
        this.socket = socket;
        this.user = user;
        this.idleNanos = idleTimeout.toNanos();
        this.detach = detach;
        scheduleIdleCheck(idleNanos);
    }

    /** A datagram from the user, on the socket's loop; the flow takes ownership of it. */
    public void received(ByteBuf datagram) {
        if (closed || inputDone) {
            datagram.release();
            return;
        }
        lastActive = System.nanoTime();
        if (stream == null) {
            if (early.size() < MAX_EARLY) {
                early.add(datagram);
            } else {
                datagram.release();
            }
            return;
        }
        if (stream.session.eventLoop().inEventLoop()) {
            stream.onLocalData(datagram); // the usual case: no task, no lambda per datagram
        } else {
            MuxStream s = stream;
            s.session.executor().execute(() -> s.onLocalData(datagram));
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean datagrams() {
        return true;
    }

    @Override
    public void bind(MuxStream s) {
        stream = s;
        ArrayDeque<ByteBuf> replay = early;
        early = null;
        for (ByteBuf d : replay) {
            s.onLocalData(d);
        }
        s.updateReading();
    }

    @Override
    public void reading(boolean on) {
        // The socket is every flow's: one flow cannot pause it. What cannot be sent is dropped (MuxStream).
    }

    @Override
    public boolean isWritable() {
        return socket.isWritable();
    }

    @Override
    public ByteBufAllocator alloc() {
        return socket.alloc();
    }

    @Override
    public void write(ByteBuf bytes, WriteDone done) {
        lastActive = System.nanoTime();
        // A datagram the kernel would not send is lost, as UDP loses datagrams: the flow is not broken by it.
        lastWrite = socket.write(new DatagramPacket(bytes, user));
        lastWrite.addListener(f -> done.done(true));
    }

    @Override
    public void flush() {
        socket.flush();
    }

    @Override
    public void afterWrites(Runnable then) {
        socket.flush();
        if (lastWrite == null || lastWrite.isDone()) {
            then.run();
        } else {
            // Writes on one channel complete in order: the last one done means all are.
            lastWrite.addListener(f -> then.run());
        }
    }

    @Override
    public boolean canHalfClose() {
        return false;
    }

    @Override
    public void shutdownOutput(Runnable then) {
        then.run();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        leaveTable();
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        if (early != null) {
            early.forEach(ByteBuf::release);
            early.clear();
        }
        if (stream != null) {
            stream.session.onLoop(stream::onLocalInactive);
        }
        closeListeners.forEach(Runnable::run);
        closeListeners.clear();
    }

    /** A datagram flow has no reset to send: its end is its close. */
    @Override
    public void abort() {
        close();
    }

    @Override
    public void onClosed(Runnable then) {
        if (closed) {
            then.run();
        } else {
            closeListeners.add(then);
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return user;
    }

    private void leaveTable() {
        if (!detached) {
            detached = true;
            detach.run();
        }
    }

    private void scheduleIdleCheck(long delayNanos) {
        idleCheck = socket.eventLoop().schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkIdle() {
        if (closed || inputDone) {
            return;
        }
        long quiet = System.nanoTime() - lastActive;
        if (quiet < idleNanos) {
            scheduleIdleCheck(idleNanos - quiet);
            return;
        }
        inputDone = true;
        leaveTable();
        if (stream == null) {
            close();
        } else {
            // A clean end: the client closes its socket to the service, then the stream finishes both ways.
            stream.session.onLoop(stream::onLocalInputShutdown);
            // A client that never finishes its side does not keep the flow: it is closed (a reset) then.
            idleCheck = socket.eventLoop().schedule(this::close, idleNanos, TimeUnit.NANOSECONDS);
        }
    }
}
