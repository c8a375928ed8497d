package io.jfrp.client.plugin;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * The user's side of one plugin connection, until it is joined to the service: takes the user's address
 * from the header the stream dialer sends first, connects to the service, and holds what the user sent
 * meanwhile (reads stop until then). A service that cannot be reached is a 502 for an HTTP plugin, as
 * frp answers, and a closed connection for the others.
 */
final class PluginFront extends ChannelInboundHandlerAdapter {

    private final PluginServer plugin;
    /** Joins at once, with no header first (unix_domain_socket under NIO: its service needs no address). */
    private final boolean withoutUser;
    private final Queue<Object> held = new ArrayDeque<>();
    private Channel service;
    private boolean connecting;

    PluginFront(PluginServer plugin, boolean withoutUser) {
        this.plugin = plugin;
        this.withoutUser = withoutUser;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (withoutUser && !connecting) {
            connecting = true;
            connect(ctx, null);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HAProxyMessage user) {
            try {
                if (!connecting) {
                    connecting = true;
                    connect(ctx, user);
                }
            } finally {
                user.release();
            }
            return;
        }

        held.add(msg);
    }

    private void connect(ChannelHandlerContext ctx, HAProxyMessage user) {
        Channel front = ctx.channel();
        front.config().setAutoRead(false);
        if (user != null) {
            plugin.addUserHandlers(front.pipeline(), ctx.name(), user);
        }
        Bootstrap b = plugin.serviceBootstrap(front, user);
        ChannelFuture f = b.connect(plugin.serviceAddress());
        f.addListener((ChannelFutureListener) done -> {
            if (!done.isSuccess()) {
                unreachable(ctx, done.cause());
                return;
            }
            if (!front.isActive()) {
                done.channel().close();
                return;
            }
            service = done.channel();
            service.closeFuture().addListener(c -> {
                if (front.isActive()) {
                    front.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                }
            });
            ctx.pipeline().replace(this, "splice", new Splice(service));
            Object m;
            while ((m = held.poll()) != null) {
                service.write(m, service.voidPromise());
            }
            service.flush();
            front.config().setAutoRead(true);
            service.config().setAutoRead(true);
        });
    }

    private void unreachable(ChannelHandlerContext ctx, Throwable cause) {
        boolean asked = held.stream().anyMatch(m -> m instanceof HttpRequest);
        releaseHeld();
        String why = "the plugin's service " + plugin.serviceName() + " is unreachable: "
                + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
        plugin.serviceUnreachable(why);
        if (!plugin.config().speaksHttp()) {
            ctx.close();
            return;
        }
        if (asked) {
            ctx.writeAndFlush(badGateway(why)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        // The TLS handshake (if any) and the request are still to come: let them, then answer.
        ctx.pipeline().replace(this, "bad-gateway", new ChannelInboundHandlerAdapter() {
            private boolean answered;

            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                ReferenceCountUtil.release(msg);
                if (!answered && msg instanceof HttpRequest) {
                    answered = true;
                    c.writeAndFlush(badGateway(why)).addListener(ChannelFutureListener.CLOSE);
                }
            }
        });
        ctx.channel().config().setAutoRead(true);
    }

    private static FullHttpResponse badGateway(String why) {
        return HttpProxyFront.answer(HttpResponseStatus.BAD_GATEWAY, why);
    }

    private void releaseHeld() {
        Object m;
        while ((m = held.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
