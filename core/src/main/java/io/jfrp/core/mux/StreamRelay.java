package io.jfrp.core.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The handler on a local socket (the user's connection on the server, the local service's on the
 * client) that feeds its events into a {@link MuxStream}, on the session's event loop. It is put on the
 * socket when the socket is born: until {@link MuxSession} binds it to a stream it keeps what arrives
 * (epoll delivers a peer's data and FIN even with auto-read off), then replays it in order.
 */
public final class StreamRelay extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);
    private static final Object INPUT_SHUTDOWN = new Object();
    private static final Object INACTIVE = new Object();
    private static final Object BROKEN = new Object();

    private MuxStream stream;
    private EventExecutor sessionLoop;
    private ArrayDeque<Object> early = new ArrayDeque<>();

    /** A relayed socket may half-close and still have much to receive: see {@link io.jfrp.core.net.EpollInterest}. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isRegistered()) {
            io.jfrp.core.net.EpollInterest.keep(ctx.channel());
        }
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        io.jfrp.core.net.EpollInterest.keep(ctx.channel());
        ctx.fireChannelRegistered();
    }

    /** Runs on the socket's event loop. */
    void bind(MuxStream s) {
        stream = s;
        sessionLoop = s.session.executor();
        ArrayDeque<Object> replay = early;
        early = null;
        for (Object o : replay) {
            deliver(o);
        }
    }

    private void deliver(Object o) {
        if (o instanceof ByteBuf buf) {
            // The common case (socket and session on one loop) calls straight through: no task, no lambda.
            if (sessionLoop.inEventLoop()) {
                stream.onLocalData(buf);
            } else {
                sessionLoop.execute(() -> stream.onLocalData(buf));
            }
        } else if (o == INPUT_SHUTDOWN) {
            stream.session.onLoop(stream::onLocalInputShutdown);
        } else if (o == INACTIVE) {
            stream.session.onLoop(stream::onLocalInactive);
        } else if (o == BROKEN) {
            stream.session.onLoop(stream::onLocalBroken);
        }
    }

    private void event(Object o) {
        if (stream == null) {
            early.add(o);
        } else {
            deliver(o);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            event(buf);
        } else if (msg instanceof DatagramPacket p) {
            // A connected datagram socket: only its peer's datagrams arrive, so the sender says nothing new.
            event(p.content());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (stream != null) {
            stream.session.requestFlush();
        }
    }

    /**
     * A socket whose input has ended is never asked to read again. The stream decides to read on its
     * session's loop, which may not be the socket's, so a FIN can land in between; Netty's epoll
     * transport then fails the read with epoll_ctl ENOENT (it took the socket out of its interest set
     * when the input ended) and the connection was lost. Here, on the socket's own loop, it cannot race.
     */
    @Override
    public void read(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof DuplexChannel d && d.isInputShutdown()) {
            return;
        }
        ctx.read();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            event(INPUT_SHUTDOWN);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (stream != null && ctx.channel().isWritable()) {
            stream.session.onLoop(stream::onLocalWritable);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (stream == null) {
            // Never bound: nobody else will release what it kept.
            early.forEach(ReferenceCountUtil::release);
            early.clear();
            early.add(INACTIVE);
            return;
        }
        deliver(INACTIVE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String what = stream == null ? "unbound socket " + ctx.channel() : "proxy " + stream.proxyName + " stream " + stream.id;
        if (cause instanceof IOException) {
            log.debug("{}: socket error: {}", what, cause.toString());
        } else {
            log.warn("{} failed", what, cause);
        }
        // Before the close: the stream must pass this on as a reset, not as the end of the input.
        event(BROKEN);
        ctx.close();
    }
}
