package io.jfrp.core.transport;

import io.jfrp.core.net.NettyTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.util.function.Consumer;

/** The control channel on a TCP connection of its own: frp's default and jfrp's. */
final class TcpTransport implements ClientTransport {

    static final TcpTransport INSTANCE = new TcpTransport();

    @Override
    public String protocol() {
        return "tcp";
    }

    @Override
    public Future<Channel> dial(NettyTransport io, EventLoop loop, String host, int port, int timeoutMillis,
                                Consumer<ChannelPipeline> session) {
        return connect(io, loop, host, port, timeoutMillis, session);
    }

    /** A TCP connection whose pipeline {@code init} fills; the future is the connected channel. */
    static Future<Channel> connect(NettyTransport io, EventLoop loop, String host, int port, int timeoutMillis,
                                   Consumer<ChannelPipeline> init) {
        Promise<Channel> done = loop.newPromise();
        // A control channel closes on the server's FIN; only stream sockets keep half-closed directions open.
        ChannelFuture f = io.bootstrap(loop, timeoutMillis)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        init.accept(ch.pipeline());
                    }
                })
                .connect(host, port);
        f.addListener(x -> {
            if (f.isSuccess()) {
                done.setSuccess(f.channel());
            } else {
                done.setFailure(f.cause());
            }
        });
        return done;
    }
}
