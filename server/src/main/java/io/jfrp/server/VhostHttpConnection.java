package io.jfrp.server;

import io.jfrp.core.log.PeerText;
import io.jfrp.core.mux.LocalSockets;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One user's connection to the vhost HTTP port. Each request is routed afresh (by its Host, or the host
 * of a proxy-form URI; its path; its HTTP user) and becomes an {@link HttpExchange}: a stream of its own
 * to the proxy's client, so one keep-alive connection may reach several proxies, one request at a time.
 * Reading follows the state: the next request is read only once the answer to this one is out (Netty's
 * FlowControlHandler keeps what a read decoded early), a body only as fast as the stream takes it.
 * A CONNECT, or an answer that switches protocols, turns the connection into a plain one to the service.
 */
final class VhostHttpConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(VhostHttpConnection.class);

    private enum State {
        /** Waiting for a request (at most the idle timeout). */
        IDLE,
        /** Passing the request's body on. */
        BODY,
        /** The request is out; its answer is coming. */
        AWAIT,
        /** We answered ourselves and keep the connection; the rest of the request is read and dropped. */
        DISCARD,
        /** No longer HTTP: bytes each way. */
        TUNNEL,
        /** Closing once the last answer is out. */
        CLOSING
    }

    private final ServerRuntime rt;
    private final long idleMillis;
    private ChannelHandlerContext ctx;
    private State state = State.IDLE;
    private HttpExchange exchange;
    /** The stream of the last exchange, kept for the next request if it goes to the same proxy. */
    private HttpExchange idle;
    private boolean streamWantsInput;
    private ScheduledFuture<?> idleTimer;
    /** What the codec decoded while an answer was still coming (pipelined requests): replayed after it. */
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();

    VhostHttpConnection(ServerRuntime rt, long idleMillis) {
        this.rt = rt;
        this.idleMillis = idleMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            armIdle(); // put on a connection of the shared bind port, after its first bytes
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        armIdle();
        updateReading();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (state) {
            case IDLE -> {
                if (msg instanceof HttpRequest req) {
                    onRequest(req);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            case BODY -> {
                if (msg instanceof HttpContent c && c.decoderResult().isFailure()) {
                    // A body cut or framed wrong: the service must not take it for whole.
                    peerProblem(HttpResponseStatus.BAD_REQUEST, String.valueOf(c.decoderResult().cause()));
                    c.release();
                    exchange.userGone(true);
                    exchange = null;
                    answer(HttpAnswers.text(HttpResponseStatus.BAD_REQUEST, false), false, true);
                } else if (msg instanceof HttpContent c) {
                    exchange.sendRequestPart(c);
                    if (c instanceof LastHttpContent) {
                        requestComplete();
                    }
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            case DISCARD -> {
                boolean last = msg instanceof LastHttpContent;
                ReferenceCountUtil.release(msg);
                if (last) {
                    toIdle();
                }
            }
            case TUNNEL -> {
                if (msg instanceof ByteBuf b && exchange != null) {
                    exchange.sendRaw(b);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            case AWAIT -> waiting.add(msg);
            case CLOSING -> ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(HttpRequest req) {
        cancelIdle();
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean complete = req instanceof LastHttpContent;
        HttpRouting.Decision d = HttpRouting.decide(rt, req, keepAlive);
        if (d.route() == null) {
            ReferenceCountUtil.release(req);
            if (d.problem() != null) {
                // Malformed: where the next request would start is unknown, so the connection closes after.
                peerProblem(d.answer().status(), d.problem());
                answer(d.answer(), false, true);
            } else {
                answer(d.answer(), keepAlive, complete);
            }
            return;
        }
        DomainRoutes.Route route = d.route();
        boolean connect = HttpMethod.CONNECT.equals(req.method());
        boolean upgrade = HttpMessageEdits.isUpgrade(req);
        HttpVersion version = req.protocolVersion();
        HttpMessageEdits.request(req, (InetSocketAddress) ctx.channel().remoteAddress(), route.edits());
        exchange = linkTo(route);
        streamWantsInput = exchange.streamWants();
        exchange.begin(req, version, keepAlive, upgrade);
        if (connect) {
            // The service answers the CONNECT itself (as frp passes it on): from here on, bytes each way.
            toTunnel();
        } else if (complete) {
            requestComplete();
        } else {
            state = State.BODY;
            updateReading();
        }
    }

    /** The kept stream when the request goes to its proxy, else a new one (and the kept one ends). */
    private HttpExchange linkTo(DomainRoutes.Route route) {
        HttpExchange kept = idle;
        idle = null;
        if (kept != null && kept.reusableFor(route)) {
            return kept;
        }
        if (kept != null) {
            kept.finish();
        }
        return new HttpExchange(this, ctx.channel(), route, rt.config.vhost().vhostHTTPTimeout().toMillis());
    }

    private void requestComplete() {
        state = State.AWAIT;
        exchange.requestSent();
        updateReading();
    }

    /** Answers the request ourselves; the user's connection stays only if both sides want it and the request is read. */
    private void answer(FullHttpResponse response, boolean keepAlive, boolean requestComplete) {
        ChannelFuture f = ctx.writeAndFlush(response);
        if (!keepAlive) {
            state = State.CLOSING;
            f.addListener(ChannelFutureListener.CLOSE);
            updateReading();
        } else if (requestComplete) {
            toIdle();
        } else {
            state = State.DISCARD;
            updateReading();
        }
    }

    private void toIdle() {
        state = State.IDLE;
        streamWantsInput = false;
        armIdle();
        while (state == State.IDLE && !waiting.isEmpty()) {
            channelRead(ctx, waiting.poll());
        }
        updateReading();
    }

    private void toTunnel() {
        state = State.TUNNEL;
        if (ctx.pipeline().get("http") != null) {
            // What the codec holds beyond the request (a WebSocket's first frame) comes out as bytes now.
            ctx.pipeline().remove("http");
        }
        while (!waiting.isEmpty()) {
            channelRead(ctx, waiting.poll());
        }
        updateReading();
    }

    private void closeAfterWrites() {
        if (idle != null) {
            idle.finish();
            idle = null;
        }
        state = State.CLOSING;
        updateReading();
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void updateReading() {
        boolean on = switch (state) {
            case IDLE, DISCARD -> true;
            case BODY, TUNNEL -> streamWantsInput;
            case AWAIT, CLOSING -> false;
        };
        if (ctx.channel().config().isAutoRead() != on) {
            ctx.channel().config().setAutoRead(on);
        }
    }

    // ---- from the current exchange

    ChannelFuture write(Object msg) {
        return ctx.write(msg);
    }

    void wantInput(HttpExchange from, boolean on) {
        if (from == exchange) {
            streamWantsInput = on;
            updateReading();
        }
    }

    /** The answer is out; the connection serves the next request (its stream kept for it), or closes. */
    void responseComplete(HttpExchange from, boolean close) {
        if (from != exchange) {
            return;
        }
        ctx.flush();
        exchange = null;
        if (close || state != State.AWAIT) {
            // Still reading the request (the service answered early): where the next one starts is unknown.
            from.finish();
            closeAfterWrites();
        } else {
            idle = from;
            toIdle();
        }
    }

    /** A reused stream failed before any answer: its request, which may go twice, goes again on a new one. */
    void retry(HttpExchange from, HttpRequest again) {
        if (from != exchange) {
            return;
        }
        HttpExchange next = new HttpExchange(this, ctx.channel(), from.route(), rt.config.vhost().vhostHTTPTimeout().toMillis());
        exchange = next;
        streamWantsInput = false;
        next.begin(again, from.userVersion(), from.userKeepAlive(), from.upgradeAsked());
        next.requestSent();
    }

    /** The service switched protocols: from here on, bytes each way. */
    void upgraded(HttpExchange from) {
        if (from == exchange) {
            toTunnel();
        }
    }

    /** The exchange failed: the user gets {@code status} when nothing of the answer went out, else a reset. */
    void failed(HttpExchange from, HttpResponseStatus status) {
        if (from != exchange) {
            return;
        }
        exchange = null;
        if (status == null) {
            state = State.CLOSING;
            LocalSockets.abort(ctx.channel());
            return;
        }
        if (status == HttpResponseStatus.BAD_GATEWAY) {
            // frp answers its not-found page here; an operator may choose a 5xx (vhostHTTPServiceErrorStatus).
            int chosen = rt.config.vhost().serviceErrorStatus();
            answer(chosen == 404 ? HttpAnswers.notFound(rt.config.vhost().custom404Page(), false)
                    : HttpAnswers.text(HttpResponseStatus.valueOf(chosen), false), false, true);
            return;
        }
        answer(HttpAnswers.text(status, false), false, true);
    }

    /** In a tunnel: the service sends no more. */
    void tunnelInputEnded(HttpExchange from) {
        if (from == exchange && ctx.channel() instanceof DuplexChannel d) {
            ctx.flush();
            d.shutdownOutput();
        }
    }

    /** In a tunnel: the stream is over. */
    void tunnelEnded(HttpExchange from, boolean broken) {
        if (from != exchange) {
            return;
        }
        exchange = null;
        state = State.CLOSING;
        if (broken) {
            LocalSockets.abort(ctx.channel());
        } else {
            closeAfterWrites();
        }
    }

    // ---- the user's connection

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            switch (state) {
                case TUNNEL -> {
                    if (exchange != null) {
                        exchange.userInputEnded();
                    }
                }
                // A request is coming or its answer is: the user may still read it, then the connection closes.
                case AWAIT -> exchange.closeAfter();
                case BODY -> {
                    // The request was cut short: the service must not take it for whole.
                    exchange.userGone(true);
                    exchange = null;
                    ctx.close();
                }
                default -> {
                    if (state != State.CLOSING) {
                        closeAfterWrites();
                    }
                }
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null && ctx.channel().isWritable()) {
            exchange.userWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelIdle();
        if (idle != null) {
            idle.finish(); // between requests: the stream to the service ends cleanly
            idle = null;
        }
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        if (exchange != null) {
            // Mid-exchange the service must learn the user left (a reset); a tunnel closed as its socket would.
            exchange.userGone(state != State.TUNNEL);
            exchange = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("vhost http: user {}: {}", ctx.channel().remoteAddress(), cause.toString());
        if (exchange != null) {
            exchange.userGone(true);
            exchange = null;
        }
        LocalSockets.abort(ctx.channel());
    }

    private void armIdle() {
        cancelIdle();
        // A connection that sends no request (or only part of its head) in time is closed: slow heads cost only themselves.
        idleTimer = ctx.executor().schedule(() -> {
            if (state == State.IDLE) {
                state = State.CLOSING;
                ctx.close();
            }
        }, idleMillis, TimeUnit.MILLISECONDS);
    }

    private void cancelIdle() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }

    private void peerProblem(HttpResponseStatus status, String why) {
        String suffix = rt.peerProblems.admit("vhost http");
        if (suffix != null) {
            log.info("vhost http: {} to {}: {}{}", status.code(), ctx.channel().remoteAddress(), PeerText.escape(why), suffix);
        }
    }
}
