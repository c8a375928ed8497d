package io.jfrp.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseCombiner;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Between a WebSocket and the session's handlers: binary frames in, their bytes out, and each write as
 * frames of at most {@link WebSocketTransport#MAX_FRAME}. On a client the session's handlers join the
 * pipeline once the upgrade is done (Netty's handshaker writes its request from the pipeline's tail,
 * where TLS would take it for application data), so TLS and the login start inside the WebSocket; an
 * upgrade that fails fails the dial, with why.
 */
final class WebSocketBytes extends ChannelDuplexHandler {

    /** The upgrade's target, on a client (for its errors); null on a server. */
    private final String target;
    /** On a client, what adds the session's handlers; null on a server. */
    private final Consumer<ChannelPipeline> session;
    /** On a client, the dial's outcome; null on a server. */
    private final Promise<Channel> ready;
    private boolean upgraded;

    WebSocketBytes(String target, Consumer<ChannelPipeline> session, Promise<Channel> ready) {
        this.target = target;
        this.session = session;
        this.ready = ready;
        this.upgraded = session == null;
    }

    private void failed(ChannelHandlerContext ctx, String why, Throwable cause) {
        if (ready.tryFailure(new IOException(why, cause))) {
            ctx.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (upgraded) {
            ctx.fireChannelActive();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE && !upgraded) {
            upgraded = true;
            session.accept(ctx.pipeline());
            ctx.fireChannelActive();
            ready.trySuccess(ctx.channel());
            return;
        }
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT && !upgraded) {
            failed(ctx, "no answer to the WebSocket upgrade at " + target + " in time", null);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            // The frame's content is the frame's only reference: passing it on passes its ownership.
            ctx.fireChannelRead(((WebSocketFrame) msg).content());
        } else {
            ReferenceCountUtil.release(msg);
            ctx.fireExceptionCaught(new IOException("the peer sent a WebSocket " + msg.getClass().getSimpleName()
                    + " where binary frames were expected"));
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!upgraded) {
            failed(ctx, "the connection closed during the WebSocket upgrade at " + target, null);
            return;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (upgraded) {
            ctx.fireExceptionCaught(cause);
        } else if (cause instanceof WebSocketClientHandshakeException e) {
            // Netty's words are "Invalid handshake response getStatus: 404 Not Found": say what it means.
            failed(ctx, "the WebSocket upgrade at " + target + " was refused (" + e.getMessage()
                    + "): is that port a jfrps bind port, and does every proxy between pass WebSocket?", e);
        } else {
            failed(ctx, "the WebSocket upgrade at " + target + " failed: " + cause.getMessage(), cause);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.write(msg, promise);
            return;
        }
        if (buf.readableBytes() <= WebSocketTransport.MAX_FRAME) {
            ctx.write(new BinaryWebSocketFrame(buf), promise);
            return;
        }
        PromiseCombiner all = new PromiseCombiner(ctx.executor());
        while (buf.readableBytes() > 0) {
            all.add(ctx.write(new BinaryWebSocketFrame(
                    buf.readRetainedSlice(Math.min(buf.readableBytes(), WebSocketTransport.MAX_FRAME)))));
        }
        buf.release();
        all.finish(promise);
    }
}
