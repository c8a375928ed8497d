package io.jfrp.server;

import io.jfrp.core.mux.ExchangeEnd;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Requests on the vhost HTTP port and their answers, carried on a stream of their own ({@link ExchangeEnd})
 * to the proxy's client, which connects it to the service as it would a TCP user. The request is encoded
 * and the answer decoded with Netty's HTTP codec (in an {@link EmbeddedChannel}: the bytes travel in a
 * stream, not a channel), so the server knows where each answer ends. The user's next request, when it
 * goes to the same proxy, takes the same stream (and so the service's keep-alive connection); when it
 * goes elsewhere, or the user leaves, the stream ends with a FIN, and a service that does not close in
 * answer within {@link #LINGER_MILLIS} is reset. One request is in flight at a time.
 */
final class HttpExchange implements ExchangeEnd.Handler {

    /** An answer's status line and headers: beyond these, a 502. */
    static final int MAX_RESPONSE_LINE = 8192;
    static final int MAX_RESPONSE_HEADERS = 64 * 1024;
    private static final int MAX_CHUNK = 64 * 1024;
    private static final long LINGER_MILLIS = 10_000;

    private final VhostHttpConnection conn;
    private final Channel user;
    private final DomainRoutes.Route route;
    private final long responseTimeoutMillis;
    private final EmbeddedChannel codec;
    private final ResponseDecoder decoder;
    private final ExchangeEnd end;
    private boolean released;
    /** The stream's own wish for input, kept while idle: the next request starts from it. */
    private boolean streamWants;
    /** The stream can take no further request: it ended, the service ended its side or asked to close. */
    private boolean dead;
    private boolean tunnel;
    private boolean finished;
    private int requests;

    // The request in flight, and its answer.
    private HttpVersion userVersion = HttpVersion.HTTP_1_1;
    private boolean userKeepAlive;
    private boolean upgradeAsked;
    private boolean inFlight;
    private HttpRequest retryCopy;
    private ScheduledFuture<?> responseTimer;
    private boolean responseStarted;
    private boolean informational;
    private boolean closeAfter;
    private boolean timedOut;

    HttpExchange(VhostHttpConnection conn, Channel user, DomainRoutes.Route route, long responseTimeoutMillis) {
        this.conn = conn;
        this.user = user;
        this.route = route;
        this.responseTimeoutMillis = responseTimeoutMillis;
        this.decoder = new ResponseDecoder();
        this.codec = new EmbeddedChannel(new HttpRequestEncoder(), decoder);
        this.end = new ExchangeEnd(user, this);
        route.session().userExchange(end, route.proxy());
    }

    /** A HEAD's answer has no body whatever its headers say; Netty's decoder learns that from its client codec. */
    private static final class ResponseDecoder extends HttpResponseDecoder {
        boolean head;

        ResponseDecoder() {
            super(new HttpDecoderConfig().setMaxInitialLineLength(MAX_RESPONSE_LINE)
                    .setMaxHeaderSize(MAX_RESPONSE_HEADERS).setMaxChunkSize(MAX_CHUNK));
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            return (head && ((HttpResponse) msg).status().code() >= 200) || super.isContentAlwaysEmpty(msg);
        }
    }

    /** Whether the user's next request, routed to {@code r}, can take this stream. */
    boolean reusableFor(DomainRoutes.Route r) {
        return r == route && !inFlight && !dead && !tunnel && !finished && !end.isClosed();
    }

    DomainRoutes.Route route() {
        return route;
    }

    boolean streamWants() {
        return streamWants;
    }

    /**
     * Sends a request's head (already edited). A request without a body that may be sent twice is kept:
     * on a reused stream the service may have closed its idle connection just as it went out, and the
     * request then goes again on a new stream instead of failing (as Go's transport does).
     */
    void begin(HttpRequest req, HttpVersion userVersion, boolean keepAlive, boolean upgrade) {
        requests++;
        this.userVersion = userVersion;
        userKeepAlive = keepAlive;
        upgradeAsked = upgrade;
        inFlight = true;
        responseStarted = false;
        informational = false;
        closeAfter = false;
        timedOut = false;
        decoder.head = HttpMethod.HEAD.equals(req.method());
        boolean noBody = HttpUtil.getContentLength(req, 0L) == 0 && !HttpUtil.isTransferEncodingChunked(req);
        // The codec's request heads hold no buffer and the encoder only reads them: kept as they are, and
        // made a whole request only in the rare case it must go again.
        retryCopy = requests > 1 && noBody && IDEMPOTENT.contains(req.method()) && !(req instanceof ReferenceCounted)
                ? req : null;
        // The service speaks 1.1 to us whatever the user spoke (HttpMessageEdits.request set that).
        sendRequestPart(req);
    }

    HttpVersion userVersion() {
        return userVersion;
    }

    boolean userKeepAlive() {
        return userKeepAlive;
    }

    boolean upgradeAsked() {
        return upgradeAsked;
    }

    private static final java.util.Set<HttpMethod> IDEMPOTENT = java.util.Set.of(HttpMethod.GET, HttpMethod.HEAD,
            HttpMethod.OPTIONS, HttpMethod.TRACE);

    void sendRequestPart(HttpObject part) {
        codec.writeOutbound(part);
        ByteBuf b;
        while ((b = codec.readOutbound()) != null) {
            end.send(b);
        }
    }

    void sendRaw(ByteBuf bytes) {
        end.send(bytes);
    }

    /** The whole request is out: the service has vhostHTTPTimeout to start its answer. */
    void requestSent() {
        if (!responseStarted && !tunnel && inFlight) {
            responseTimer = user.eventLoop().schedule(() -> {
                if (!responseStarted && inFlight) {
                    timedOut = true;
                    fail();
                }
            }, responseTimeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** The stream takes no further request: it ends with a FIN, and a service that stays is reset later. */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimer();
        if (!end.isClosed()) {
            end.sendEnd();
            ScheduledFuture<?> reset = user.eventLoop().schedule(() -> end.gone(true), LINGER_MILLIS,
                    TimeUnit.MILLISECONDS);
            end.onClosed(() -> reset.cancel(false));
        }
        release();
    }

    void closeAfter() {
        closeAfter = true;
    }

    void userWritable() {
        end.writable();
    }

    void userInputEnded() {
        end.sendEnd();
    }

    /** The user's connection is gone; mid-exchange that is a failure the service must see. */
    void userGone(boolean broken) {
        finished = true;
        cancelTimer();
        end.gone(broken);
        release();
    }

    // ---- from the stream (ExchangeEnd.Handler), on the user's loop

    @Override
    public ChannelFuture received(ByteBuf bytes) {
        if (tunnel) {
            return conn.write(bytes);
        }
        if (!inFlight) {
            // Between requests, or after the last: nothing the user asked for. The stream is not reused.
            bytes.release();
            dead = true;
            return null;
        }
        try {
            codec.writeInbound(bytes);
        } catch (RuntimeException e) {
            fail();
            return null;
        }
        return drainAnswer();
    }

    /** Passes on what the decoder made of the service's bytes; @return the last write, or null */
    private ChannelFuture drainAnswer() {
        ChannelFuture last = null;
        Object o;
        while ((o = codec.readInbound()) != null) {
            if (!inFlight && !tunnel) {
                ReferenceCountUtil.release(o);
                continue;
            }
            if (o instanceof HttpObject h && h.decoderResult().isFailure()) {
                ReferenceCountUtil.release(o);
                fail();
                continue;
            }
            if (o instanceof HttpResponse r) {
                last = onResponseHead(r);
                if (o instanceof HttpContent c) {
                    last = onContent(c, last);
                }
            } else if (o instanceof HttpContent c) {
                last = onContent(c, last);
            } else if (o instanceof ByteBuf b) {
                last = tunnel ? conn.write(b) : release(b);
            } else {
                ReferenceCountUtil.release(o);
            }
        }
        return last;
    }

    private ChannelFuture onResponseHead(HttpResponse r) {
        cancelTimer();
        int code = r.status().code();
        if (code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            if (!upgradeAsked) {
                fail();
                return null;
            }
            HttpMessageEdits.upgradeResponse(r, route.edits());
            ChannelFuture f = conn.write(r);
            responseStarted = true;
            tunnel = true;
            conn.upgraded(this);
            return f;
        }
        if (code < 200) {
            informational = true;
            if (userVersion.equals(HttpVersion.HTTP_1_0)) {
                return null; // 1.0 has no interim answers: the user gets only the final one
            }
            conn.write(r);
            // The user's encoder takes an interim answer as a message of its own, which must be ended.
            return conn.write(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        boolean noBody = code == 204 || code == 304 || decoder.head;
        if (!HttpUtil.isKeepAlive(r) || (!noBody && !HttpUtil.isContentLengthSet(r) && !HttpUtil.isTransferEncodingChunked(r))) {
            dead = true; // the service closes after this answer (it said so, or its end is the answer's end)
        }
        closeAfter |= HttpMessageEdits.response(r, userKeepAlive, userVersion, noBody, route.edits());
        responseStarted = true;
        return conn.write(r);
    }

    private ChannelFuture onContent(HttpContent c, ChannelFuture last) {
        if (tunnel || informational) {
            // The empty end of a 101 or of an interim answer: the real answer, or the tunnel, follows.
            informational &= !(c instanceof LastHttpContent);
            c.release();
            return last;
        }
        ChannelFuture f = conn.write(c);
        if (c instanceof LastHttpContent) {
            inFlight = false;
            retryCopy = null;
            conn.responseComplete(this, closeAfter);
        }
        return f;
    }

    private static ChannelFuture release(ByteBuf b) {
        b.release();
        return null;
    }

    @Override
    public void wantInput(boolean on) {
        streamWants = on;
        conn.wantInput(this, on);
    }

    @Override
    public void receivedEnd() {
        dead = true;
        if (tunnel) {
            conn.tunnelInputEnded(this);
            return;
        }
        if (!inFlight) {
            // The service closed its idle connection: this stream ends; the next request takes a new one.
            finish();
            return;
        }
        // The service closed: an answer read to its close ends here, any other is cut short.
        if (!released) {
            codec.finish();
            drainAnswer();
        }
        if (inFlight) {
            fail();
        }
        finish();
    }

    @Override
    public void ended(boolean broken) {
        dead = true;
        cancelTimer();
        if (tunnel) {
            conn.tunnelEnded(this, broken);
        } else if (inFlight) {
            fail();
        }
        release();
    }

    /**
     * The user gets a 502 (504 after the timeout) while nothing of the answer went out, else a reset. A
     * request kept for it goes again on a new stream instead, when this reused one failed before answering.
     */
    private void fail() {
        if (!inFlight) {
            return;
        }
        inFlight = false;
        dead = true;
        cancelTimer();
        end.gone(true);
        HttpRequest again = !responseStarted && !timedOut && retryCopy != null
                ? new DefaultFullHttpRequest(retryCopy.protocolVersion(), retryCopy.method(), retryCopy.uri(),
                Unpooled.EMPTY_BUFFER, retryCopy.headers(), EmptyHttpHeaders.INSTANCE) : null;
        retryCopy = null;
        if (again != null) {
            conn.retry(this, again);
        } else {
            conn.failed(this, responseStarted ? null : timedOut ? HttpResponseStatus.GATEWAY_TIMEOUT
                    : HttpResponseStatus.BAD_GATEWAY);
        }
        release();
    }

    private void cancelTimer() {
        if (responseTimer != null) {
            responseTimer.cancel(false);
            responseTimer = null;
        }
    }

    private void release() {
        if (!released) {
            released = true;
            codec.finishAndReleaseAll();
        }
    }
}
