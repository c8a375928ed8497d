package io.jfrp.server;

import io.jfrp.core.log.PeerText;
import io.jfrp.core.mux.LocalSockets;
import io.jfrp.core.mux.StreamRelay;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The server's {@code tcpmuxHTTPConnectPort}, as frp's httpconnect multiplexer: a user sends
 * {@code CONNECT host:port}, read with Netty's HTTP codec (a request line over 4 KiB or headers over 8 KiB
 * are refused with 400); the host's route names the tcpmux proxy; the server answers 200 (or, with
 * {@code tcpmuxPassthrough}, sends the CONNECT itself on to the service, which answers), and from then on
 * the connection is an ordinary stream of the proxy's session. A host nobody routes gets 404, anything
 * but a CONNECT 405, and a user who sends no request within 10 s is closed.
 */
final class TcpmuxPort {

    private static final Logger log = LoggerFactory.getLogger(TcpmuxPort.class);
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADERS = 8192;
    private static final int REQUEST_TIMEOUT_SECONDS = 10;

    private TcpmuxPort() {
    }

    static ChannelFuture bind(ServerRuntime rt) {
        return rt.bindRouted(rt.config.vhost().tcpmuxHTTPConnectPort(), p -> {
            p.addLast("timeout", new ReadTimeoutHandler(REQUEST_TIMEOUT_SECONDS));
            if (rt.config.vhost().tcpmuxPassthrough()) {
                // Only a passthrough needs the request's own bytes: the rest are not kept.
                p.addLast("capture", new Capture());
            }
            p.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, 8192));
            p.addLast("connect", new Connect(rt));
        });
    }

    /** Keeps the bytes of the request as they came (at most the codec's limits), for a passthrough. */
    private static final class Capture extends ChannelInboundHandlerAdapter {
        final CompositeByteBuf raw = Unpooled.compositeBuffer();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b && raw.readableBytes() <= MAX_INITIAL_LINE + MAX_HEADERS) {
                raw.addComponent(true, b.retainedDuplicate());
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            raw.release();
        }
    }

    private static final class Connect extends ChannelInboundHandlerAdapter {
        private final ServerRuntime rt;

        Connect(ServerRuntime rt) {
            this.rt = rt;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof HttpRequest req)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            ReferenceCountUtil.release(msg);
            Channel user = ctx.channel();
            if (req.decoderResult().isFailure()) {
                refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad request: " + req.decoderResult().cause().getMessage());
                return;
            }
            if (!HttpMethod.CONNECT.equals(req.method())) {
                refuse(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "only CONNECT is served on this port");
                return;
            }
            String host = req.uri();
            BasicAuth credentials = BasicAuth.parse(req.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION));
            DomainRoutes.Route route = rt.tcpmuxRoutes.find(host, credentials.user());
            if (route == null && req.headers().contains(HttpHeaderNames.HOST)) {
                route = rt.tcpmuxRoutes.find(req.headers().get(HttpHeaderNames.HOST), credentials.user());
            }
            if (route == null || route.session().isClosed()) {
                refuse(ctx, HttpResponseStatus.NOT_FOUND, "no proxy for " + DomainRoutes.normalize(host));
                return;
            }
            if (route.guarded()) {
                if (!credentials.matches(route.httpUser(), route.httpPassword())) {
                    refuse(ctx, HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED, "proxy authentication required");
                    return;
                }
            }
            // From here the connection is the proxy's: no codec, no timeout, read only as the stream asks.
            user.config().setAutoRead(false);
            ByteBuf passthrough = rt.config.vhost().tcpmuxPassthrough()
                    ? ((Capture) user.pipeline().get("capture")).raw.retainedDuplicate() : null;
            if (passthrough == null) {
                // Through the codec, still in place: it takes HTTP objects only. Content-Length 0 as frp's:
                // a client that reads the answer without knowing it was a CONNECT would wait for a body.
                DefaultFullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                ok.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                user.writeAndFlush(ok);
            }
            user.pipeline().remove("timeout");
            if (passthrough != null) {
                user.pipeline().remove("capture");
            }
            user.pipeline().addLast("relay", new StreamRelay());
            if (passthrough != null) {
                // What the service must see first: the CONNECT itself, as the user sent it.
                ctx.fireChannelRead(passthrough); // the next handler is the relay
            }
            // Last: removing the codec passes on what the user sent after the request (a TLS hello, say).
            user.pipeline().remove("connect");
            user.pipeline().remove("http");
            ClientSession session = route.session();
            String proxy = route.proxy();
            session.onLoop(() -> session.userConnected(user, proxy));
        }

        private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
            String suffix = rt.peerProblems.admit("tcpmux");
            if (suffix != null) {
                log.info("tcpmux: {} from {}: {}{}", status.code(), ctx.channel().remoteAddress(), PeerText.escape(why), suffix);
            }
            DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(why + "\n", StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            r.headers().set(HttpHeaderNames.CONNECTION, "close");
            if (status == HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED) {
                r.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"jfrps\"");
            }
            ctx.writeAndFlush(r).addListener(f -> ctx.close());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LocalSockets.abort(ctx.channel());
        }
    }
}
