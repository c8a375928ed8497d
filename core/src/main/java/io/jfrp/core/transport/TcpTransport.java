package io.jfrp.core.transport;

import io.jfrp.core.net.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** The control channel on a TCP connection of its own: frp's default and jfrp's. */
final class TcpTransport implements ClientTransport {

    static final TcpTransport INSTANCE = new TcpTransport();

    @Override
    public String protocol() {
        return "tcp";
    }

    @Override
    public Future<Channel> dial(NettyTransport io, EventLoop loop, ServerRoute route, Consumer<ChannelPipeline> session) {
        return connect(io, loop, route, route.tlsThen(session));
    }

    /**
     * A TCP connection to the route's server, from its local address and through its proxy; {@code init}
     * fills the pipeline once bytes reach the server (after the proxy's tunnel is open), and the future
     * is then the channel.
     */
    static Future<Channel> connect(NettyTransport io, EventLoop loop, ServerRoute route, Consumer<ChannelPipeline> init) {
        Promise<Channel> done = loop.newPromise();
        // A control channel closes on the server's FIN; only stream sockets keep half-closed directions open.
        Bootstrap b = io.bootstrap(loop, route.timeoutMillis()).option(ChannelOption.ALLOW_HALF_CLOSURE, false);
        InetSocketAddress server = InetSocketAddress.createUnresolved(route.host(), route.port());
        if (route.proxy() == null) {
            b.handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    init.accept(ch.pipeline());
                }
            });
            connect(b, server, route, done, true);
            return done;
        }
        // The proxy's address is resolved here; the server's name is left to the proxy, which may be the
        // only side that knows it.
        io.resolve(loop, route.proxy().host(), route.proxy().port()).addListener(r -> {
            if (!r.isSuccess()) {
                done.tryFailure(new IOException("cannot resolve the proxy " + route.proxy() + ": "
                        + r.cause().getMessage(), r.cause()));
                return;
            }
            InetSocketAddress proxyAt = (InetSocketAddress) r.getNow();
            b.resolver(NoopAddressResolverGroup.INSTANCE).handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast("proxy", route.proxy().newHandler(proxyAt, route.timeoutMillis()));
                    ch.pipeline().addLast("proxy-gate", new ProxyGate(route, init, done));
                }
            });
            connect(b, server, route, done, false);
        });
        return done;
    }

    private static void connect(Bootstrap b, InetSocketAddress server, ServerRoute route, Promise<Channel> done,
                                boolean readyOnConnect) {
        ChannelFuture f = route.localAddr().isEmpty() ? b.connect(server)
                : b.connect(server, new InetSocketAddress(route.localAddr(), 0));
        f.addListener(x -> {
            if (!f.isSuccess()) {
                done.tryFailure(f.cause());
            } else if (readyOnConnect) {
                done.trySuccess(f.channel());
            }
        });
    }
}
