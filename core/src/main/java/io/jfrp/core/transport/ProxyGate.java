package io.jfrp.core.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.proxy.ProxyConnectionEvent;
import io.netty.util.concurrent.Promise;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Behind an outbound proxy's handler: holds the carrier's handlers back until the proxy has opened the
 * tunnel (Netty's handler says so with a {@link ProxyConnectionEvent}), so that the dial completes only
 * when bytes reach the server, and a proxy that refuses fails the dial with the proxy's words.
 */
final class ProxyGate extends ChannelInboundHandlerAdapter {

    private final ServerRoute route;
    private final Consumer<ChannelPipeline> carrier;
    private final Promise<Channel> ready;

    ProxyGate(ServerRoute route, Consumer<ChannelPipeline> carrier, Promise<Channel> ready) {
        this.route = route;
        this.carrier = carrier;
        this.ready = ready;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Connected to the proxy only: the carrier's handlers see channelActive once the tunnel is open.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ProxyConnectionEvent) {
            // From here, not the pipeline's head: the proxy's handler must not see channelActive twice.
            carrier.accept(ctx.pipeline());
            ctx.fireChannelActive();
            ctx.pipeline().remove(this);
            ready.trySuccess(ctx.channel());
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ready.tryFailure(new IOException("the proxy " + route.proxy() + " did not open a tunnel to "
                + route.host() + ":" + route.port() + ": " + cause.getMessage(), cause))) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ready.tryFailure(new IOException("the proxy " + route.proxy() + " closed the connection before it opened "
                + "a tunnel to " + route.host() + ":" + route.port()));
    }
}
