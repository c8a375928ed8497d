package io.jfrp.core.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The handler on a local socket (the user's connection on the server, the local service's on the
 * client) that feeds its events into the socket's {@link MuxStream}, on the session's event loop.
 */
final class StreamRelay extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);
    private final MuxStream stream;
    private final EventExecutor sessionLoop;

    StreamRelay(MuxStream stream) {
        this.stream = stream;
        this.sessionLoop = stream.session.executor();
    }

    private void onSessionLoop(Runnable r) {
        if (sessionLoop.inEventLoop()) {
            r.run();
        } else {
            sessionLoop.execute(r);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            onSessionLoop(() -> stream.onLocalData(buf));
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        stream.session.requestFlush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            onSessionLoop(stream::onLocalInputShutdown);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        onSessionLoop(stream::onLocalInactive);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("proxy {}: stream {} socket error: {}", stream.proxyName, stream.id, cause.toString());
        } else {
            log.warn("proxy {}: stream {} failed", stream.proxyName, stream.id, cause);
        }
        ctx.close();
    }
}
