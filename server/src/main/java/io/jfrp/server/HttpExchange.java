package io.jfrp.server;

import io.jfrp.core.mux.ExchangeEnd;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * One request on the vhost HTTP port and its answer, carried on a stream of their own ({@link ExchangeEnd})
 * to the proxy's client, which connects it to the service as it would a TCP user. The request is encoded
 * and the answer decoded with Netty's HTTP codec (in an {@link EmbeddedChannel}: the bytes travel in a
 * stream, not a channel), so the server knows where the answer ends and the user's connection can serve
 * its next request, perhaps for another proxy. The exchange ends with a FIN once the answer is out; a
 * service that does not close in answer within {@link #LINGER_MILLIS} is reset.
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
    private final HttpVersion userVersion;
    private final boolean userKeepAlive;
    private final boolean upgradeAsked;
    private final long responseTimeoutMillis;
    private final EmbeddedChannel codec;
    private final ResponseDecoder decoder;
    private final ExchangeEnd end;
    private boolean released;
    private ScheduledFuture<?> responseTimer;
    private boolean responseStarted;
    private boolean responseDone;
    private boolean informational;
    private boolean tunnel;
    private boolean closeAfter;
    private boolean timedOut;

    HttpExchange(VhostHttpConnection conn, Channel user, DomainRoutes.Route route, HttpMethod method,
                 HttpVersion userVersion, boolean userKeepAlive, boolean upgradeAsked, long responseTimeoutMillis) {
        this.conn = conn;
        this.user = user;
        this.route = route;
        this.userVersion = userVersion;
        this.userKeepAlive = userKeepAlive;
        this.upgradeAsked = upgradeAsked;
        this.responseTimeoutMillis = responseTimeoutMillis;
        this.decoder = new ResponseDecoder(HttpMethod.HEAD.equals(method));
        this.codec = new EmbeddedChannel(new HttpRequestEncoder(), decoder);
        this.end = new ExchangeEnd(user, this);
    }

    /** A HEAD's answer has no body whatever its headers say; Netty's decoder learns that from its client codec. */
    private static final class ResponseDecoder extends HttpResponseDecoder {
        private final boolean head;

        ResponseDecoder(boolean head) {
            super(new HttpDecoderConfig().setMaxInitialLineLength(MAX_RESPONSE_LINE)
                    .setMaxHeaderSize(MAX_RESPONSE_HEADERS).setMaxChunkSize(MAX_CHUNK));
            this.head = head;
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            return (head && ((HttpResponse) msg).status().code() >= 200) || super.isContentAlwaysEmpty(msg);
        }
    }

    void start(HttpObject request) {
        route.session().userExchange(end, route.proxy());
        sendRequestPart(request);
    }

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
        if (!responseStarted && !tunnel && !responseDone) {
            responseTimer = user.eventLoop().schedule(() -> {
                if (!responseStarted && !responseDone) {
                    timedOut = true;
                    fail();
                }
            }, responseTimeoutMillis, TimeUnit.MILLISECONDS);
        }
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
        if (responseDone) {
            bytes.release(); // after the answer's end: nothing the user asked for
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
            if (responseDone && !tunnel) {
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
            responseDone = true;
            end.sendEnd();
            lingerThenReset();
            conn.responseComplete(this, closeAfter);
            release();
        }
        return f;
    }

    private static ChannelFuture release(ByteBuf b) {
        b.release();
        return null;
    }

    @Override
    public void wantInput(boolean on) {
        conn.wantInput(this, on);
    }

    @Override
    public void receivedEnd() {
        if (tunnel) {
            conn.tunnelInputEnded(this);
            return;
        }
        if (responseDone) {
            return;
        }
        // The service closed: an answer read to its close ends here, any other is cut short.
        if (!released) {
            codec.finish();
            drainAnswer();
        }
        if (!responseDone) {
            fail();
        }
    }

    @Override
    public void ended(boolean broken) {
        cancelTimer();
        if (tunnel) {
            conn.tunnelEnded(this, broken);
        } else if (!responseDone) {
            fail();
        }
        release();
    }

    /** The user gets a 502 (504 after the timeout) while nothing of the answer went out, else a reset. */
    private void fail() {
        if (responseDone) {
            return;
        }
        responseDone = true;
        cancelTimer();
        end.gone(true);
        conn.failed(this, responseStarted ? null : timedOut ? HttpResponseStatus.GATEWAY_TIMEOUT
                : HttpResponseStatus.BAD_GATEWAY);
        release();
    }

    private void lingerThenReset() {
        ScheduledFuture<?> reset = user.eventLoop().schedule(() -> end.gone(true), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        end.onClosed(() -> reset.cancel(false));
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
