package io.jfrp.client.plugin;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * frp's {@code http_proxy} plugin: an HTTP proxy on the proxy's port, reaching what the client's network
 * reaches. CONNECT opens a tunnel; a request in absolute form is passed to its server with the proxy's
 * own headers taken out, one request per connection (the answer ends it), which every client handles.
 * With httpUser set, a request without those credentials is a 407.
 */
final class HttpProxyFront extends ChannelInboundHandlerAdapter {

    private final PluginServer plugin;
    private final UserCheck users;
    private final Queue<Object> held = new ArrayDeque<>();
    /** The request's target is being reached (what follows is held), or was: this connection's one request. */
    private boolean started;
    private Channel service;

    HttpProxyFront(PluginServer plugin, UserCheck users) {
        this.plugin = plugin;
        this.users = users;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (started) {
            if (service != null) {
                service.writeAndFlush(msg, service.voidPromise());
            } else {
                held.add(msg);
            }
            return;
        }
        if (!(msg instanceof HttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        if (!users.admits(req.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION))) {
            FullHttpResponse r = answer(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED, "proxy credentials needed");
            r.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"jfrp\"");
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        started = true;
        if (req.method().equals(HttpMethod.CONNECT)) {
            connect(ctx, req.uri());
        } else {
            forward(ctx, req);
        }
    }

    private void connect(ChannelHandlerContext ctx, String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon <= 0) {
            ctx.writeAndFlush(answer(HttpResponseStatus.BAD_REQUEST, "CONNECT needs host:port")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String host = authority.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
            ctx.writeAndFlush(answer(HttpResponseStatus.BAD_REQUEST, "CONNECT needs host:port")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Channel user = ctx.channel();
        user.config().setAutoRead(false);
        plugin.dial(user, host, port, p -> p.addLast("splice", new Splice(user))).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                unreachable(ctx, authority, f.cause());
                return;
            }
            service = f.channel();
            DefaultFullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    new HttpResponseStatus(200, "Connection established"));
            ok.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            ctx.writeAndFlush(ok);
            // From here the bytes are the tunnel's: no more HTTP on this connection.
            held.forEach(ReferenceCountUtil::release);
            held.clear();
            ctx.pipeline().remove(HttpServerCodec.class);
            ctx.pipeline().replace(this, "splice", new Splice(service));
            user.config().setAutoRead(true);
            service.config().setAutoRead(true);
        });
    }

    private void forward(ChannelHandlerContext ctx, HttpRequest req) {
        URI uri;
        try {
            uri = new URI(req.uri());
        } catch (Exception e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !"http".equalsIgnoreCase(uri.getScheme())) {
            ctx.writeAndFlush(answer(HttpResponseStatus.BAD_REQUEST, "a proxy request names its target: http://host/path"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        req.setUri(path);
        req.headers().remove(HttpHeaderNames.PROXY_AUTHORIZATION).remove("Proxy-Connection")
                .set(HttpHeaderNames.CONNECTION, "close");
        Channel user = ctx.channel();
        user.config().setAutoRead(false);
        String target = uri.getHost() + ":" + port;
        plugin.dial(user, uri.getHost(), port, p -> {
            p.addLast("http", new HttpClientCodec(4096, 16 * 1024, 16 * 1024));
            p.addLast("splice", new Splice(user));
        }).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                unreachable(ctx, target, f.cause());
                return;
            }
            service = f.channel();
            service.write(req);
            Object m;
            while ((m = held.poll()) != null) {
                service.write(m);
            }
            service.flush();
            ctx.pipeline().replace(this, "splice", new Splice(service));
            user.config().setAutoRead(true);
            service.config().setAutoRead(true);
        });
    }

    private void unreachable(ChannelHandlerContext ctx, String target, Throwable cause) {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        ctx.writeAndFlush(answer(HttpResponseStatus.BAD_GATEWAY, target + " is unreachable: "
                + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName())))
                .addListener(ChannelFutureListener.CLOSE);
    }

    static FullHttpResponse answer(HttpResponseStatus status, String text) {
        DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, "close");
        return r;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        if (service != null) {
            service.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
