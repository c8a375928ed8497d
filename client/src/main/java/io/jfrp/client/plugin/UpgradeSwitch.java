package io.jfrp.client.plugin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * On the service's side of an HTTP plugin: when the service switches protocols (101, a WebSocket say),
 * both sides stop speaking HTTP once the answer has passed, and the plugin carries bytes as they are.
 */
final class UpgradeSwitch extends ChannelInboundHandlerAdapter {

    private final Channel user;
    private boolean switching;

    UpgradeSwitch(Channel user) {
        this.user = user;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse r && r.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            switching = true;
        }
        boolean last = msg instanceof LastHttpContent;
        ctx.fireChannelRead(msg);
        if (switching && last) {
            // The 101 is on its way to the user; what follows on either side is the new protocol's.
            ctx.fireChannelReadComplete();
            ctx.pipeline().remove(HttpClientCodec.class);
            user.pipeline().remove(HttpServerCodec.class);
            ctx.pipeline().remove(this);
        }
    }
}
