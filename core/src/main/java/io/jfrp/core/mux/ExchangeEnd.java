package io.jfrp.core.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream end whose local side is code rather than a socket: one HTTP exchange on the server's vhost
 * port, whose handler hands the request in ({@link #send}) and takes the answer out ({@link Handler}),
 * and which may turn into a plain connection (an upgrade, a CONNECT). The user's connection lends it its
 * loop, allocator and writability; every call from the session crosses to that loop, every call to the
 * stream crosses to the session's.
 */
public final class ExchangeEnd implements LocalEnd {

    /** The code at the local side; every method runs on the user connection's loop. */
    public interface Handler {
        /**
         * Bytes from the far side, to be passed on (the handler owns them).
         * @return the write that takes the last of them, or null when none was needed
         */
        ChannelFuture received(ByteBuf bytes);

        /** The stream wants more input, or no more for now: back-pressure. */
        void wantInput(boolean on);

        /** The far side sends nothing more (its FIN). */
        void receivedEnd();

        /** The stream is over; {@code broken} when by a reset or a failure, not both sides finishing. */
        void ended(boolean broken);
    }

    private static final Object END = new Object();
    private static final Object GONE = new Object();
    private static final Object BROKEN = new Object();

    private final Channel user;
    private final Handler handler;
    private final List<Runnable> closeListeners = new ArrayList<>(1);
    private ArrayDeque<Object> early = new ArrayDeque<>(4);
    private MuxStream stream;
    private ChannelFuture lastWrite;
    private boolean closed;

    public ExchangeEnd(Channel user, Handler handler) {
        this.user = user;
        this.handler = handler;
    }

    // ---- from the handler, on the user's loop

    /** Request bytes towards the far side; the stream owns them. */
    public void send(ByteBuf bytes) {
        deliver(bytes);
    }

    /** Nothing more towards the far side (a FIN); the far side's answer may still come. */
    public void sendEnd() {
        deliver(END);
    }

    /**
     * The local side is gone: the stream ends, as a reset when {@code broken} (the user left mid-exchange,
     * the exchange failed) and otherwise as the socket's close would end it.
     */
    public void gone(boolean broken) {
        if (closed) {
            return;
        }
        closed = true;
        deliver(broken ? BROKEN : GONE);
        runCloseListeners();
    }

    /** The user's connection takes writes again. */
    public void writable() {
        MuxStream s = stream;
        if (s != null) {
            s.session.onLoop(s::onLocalWritable);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void deliver(Object o) {
        if (stream == null) {
            early.add(o);
            return;
        }
        MuxStream s = stream;
        if (o instanceof ByteBuf b) {
            if (s.session.executor().inEventLoop()) {
                s.onLocalData(b);
            } else {
                s.session.executor().execute(() -> s.onLocalData(b));
            }
        } else if (o == END) {
            s.session.onLoop(s::onLocalInputShutdown);
        } else if (o == BROKEN) {
            s.session.onLoop(() -> {
                s.onLocalBroken();
                s.onLocalInactive();
            });
        } else {
            s.session.onLoop(s::onLocalInactive);
        }
    }

    private void onUserLoop(Runnable r) {
        if (user.eventLoop().inEventLoop()) {
            r.run();
        } else {
            user.eventLoop().execute(r);
        }
    }

    private void runCloseListeners() {
        List<Runnable> ls = new ArrayList<>(closeListeners);
        closeListeners.clear();
        ls.forEach(Runnable::run);
    }

    // ---- from the stream

    @Override
    public void bind(MuxStream s) {
        onUserLoop(() -> {
            stream = s;
            ArrayDeque<Object> replay = early;
            early = null;
            for (Object o : replay) {
                deliver(o);
            }
            s.session.executor().execute(s::updateReading);
        });
    }

    @Override
    public void reading(boolean on) {
        onUserLoop(() -> {
            if (!closed) {
                handler.wantInput(on);
            }
        });
    }

    @Override
    public boolean isWritable() {
        return user.isWritable();
    }

    @Override
    public ByteBufAllocator alloc() {
        return user.alloc();
    }

    @Override
    public void write(ByteBuf bytes, WriteDone done) {
        // Every chunk of an answer comes this way: no task (and no lambda) when the loops are one.
        if (user.eventLoop().inEventLoop()) {
            writeHere(bytes, done);
        } else {
            user.eventLoop().execute(() -> writeHere(bytes, done));
        }
    }

    private void writeHere(ByteBuf bytes, WriteDone done) {
        if (closed) {
            ReferenceCountUtil.release(bytes);
            done.done(false);
            return;
        }
        ChannelFuture f = handler.received(bytes);
        if (f == null) {
            done.done(true);
        } else {
            lastWrite = f;
            f.addListener(x -> done.done(x.isSuccess()));
        }
    }

    @Override
    public void flush() {
        onUserLoop(user::flush);
    }

    @Override
    public void afterWrites(Runnable then) {
        onUserLoop(() -> {
            user.flush();
            if (lastWrite == null || lastWrite.isDone()) {
                then.run();
            } else {
                lastWrite.addListener(f -> then.run());
            }
        });
    }

    @Override
    public boolean canHalfClose() {
        return true;
    }

    @Override
    public void shutdownOutput(Runnable then) {
        onUserLoop(() -> {
            if (!closed) {
                handler.receivedEnd();
            }
            then.run();
        });
    }

    @Override
    public void close() {
        end(false);
    }

    @Override
    public void abort() {
        end(true);
    }

    private void end(boolean broken) {
        onUserLoop(() -> {
            if (closed) {
                return;
            }
            closed = true;
            if (early != null) {
                early.forEach(ReferenceCountUtil::release);
                early.clear();
            }
            handler.ended(broken);
            runCloseListeners();
        });
    }

    @Override
    public void onClosed(Runnable then) {
        onUserLoop(() -> {
            if (closed) {
                then.run();
            } else {
                closeListeners.add(then);
            }
        });
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) user.remoteAddress();
    }
}
