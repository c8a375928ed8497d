package io.jfrp.client;

import io.jfrp.core.config.HealthCheck;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.net.NettyTransport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * One proxy's health check, on the client's control loop: every interval, a TCP connect to the local
 * service, or an HTTP GET of its path that must answer 2xx, each within the timeout. Its verdict changes
 * on the first check that passes (the proxy may be registered) and after {@code maxFailed} failures in a
 * row (it is withdrawn); a passing check clears the count.
 */
final class ServiceCheck {

    /** What a change of verdict means to the client: both called on the loop. */
    interface Verdicts {
        void passes(ProxyConfig proxy);

        /** @param wasPassing false at the first check, when the proxy was never registered */
        void fails(ProxyConfig proxy, String why, boolean wasPassing);
    }

    private final ProxyConfig proxy;
    private final HealthCheck check;
    private final NettyTransport transport;
    private final EventLoop loop;
    private final Verdicts verdicts;
    /** Null until the first check; then whether the service is taken as up. */
    private Boolean passing;
    private int failuresInARow;
    private ScheduledFuture<?> next;
    private boolean stopped;

    ServiceCheck(ProxyConfig proxy, NettyTransport transport, EventLoop loop, Verdicts verdicts) {
        this.proxy = proxy;
        this.check = proxy.balancing().check();
        this.transport = transport;
        this.loop = loop;
        this.verdicts = verdicts;
    }

    /** The proxy as configured when the check began. */
    ProxyConfig proxy() {
        return proxy;
    }

    /** Whether the last verdict is that the service is up (false before the first check). */
    boolean passing() {
        return Boolean.TRUE.equals(passing);
    }

    void start() {
        loop.execute(this::run);
    }

    void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
    }

    private void run() {
        if (stopped) {
            return;
        }
        attempt().addListener(f -> {
            if (stopped) {
                return;
            }
            record(f.isSuccess() ? null : reason(f.cause()));
            next = loop.schedule(this::run, check.interval().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private void record(String failure) {
        if (failure == null) {
            failuresInARow = 0;
            if (!passing()) {
                passing = true;
                verdicts.passes(proxy);
            }
            return;
        }
        failuresInARow++;
        // Before the first pass the proxy is not registered: its first failure is a verdict too, said once.
        if (passing == null || passing && failuresInARow >= check.maxFailed()) {
            boolean was = passing();
            passing = false;
            verdicts.fails(proxy, failure + (failuresInARow > 1 ? " (" + failuresInARow + " checks in a row)" : ""), was);
        }
    }

    private static String reason(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** One check: succeeds when the service passes, fails with why not. */
    private io.netty.util.concurrent.Future<Void> attempt() {
        Promise<Void> done = loop.newPromise();
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, check.timeout().toMillis());
        boolean http = check.kind() == HealthCheck.Kind.HTTP;
        ChannelFuture connect = transport.bootstrap(loop, timeoutMillis)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (http) {
                            ch.pipeline().addLast(new HttpClientCodec(), new Answer(done));
                        }
                    }
                })
                .connect(LocalDialer.address(proxy));
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            if (done.tryFailure(new java.io.IOException("no answer within " + check.timeout().toSeconds() + " s"))) {
                connect.channel().close();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        done.addListener(f -> timeout.cancel(false));
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                done.tryFailure(f.cause());
            } else if (!http) {
                f.channel().close();
                done.trySuccess(null);
            } else {
                f.channel().writeAndFlush(request()).addListener((ChannelFutureListener) w -> {
                    if (!w.isSuccess()) {
                        done.tryFailure(w.cause());
                    }
                });
            }
        });
        return done;
    }

    private DefaultFullHttpRequest request() {
        String path = check.path().startsWith("/") ? check.path() : "/" + check.path();
        DefaultFullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path,
                Unpooled.EMPTY_BUFFER);
        String host = NetUtil.isValidIpV6Address(proxy.localIP()) ? "[" + proxy.localIP() + "]" : proxy.localIP();
        r.headers().set(HttpHeaderNames.HOST, host + ":" + proxy.localPort());
        r.headers().set(HttpHeaderNames.USER_AGENT, "jfrp-health-check");
        check.httpHeaders().forEach((k, v) -> r.headers().set(k, v));
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return r;
    }

    /** The status line of the answer decides; the rest is not read. */
    private static final class Answer extends ChannelInboundHandlerAdapter {
        private final Promise<Void> done;

        Answer(Promise<Void> done) {
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse r) {
                    int code = r.status().code();
                    if (code / 100 == 2) {
                        done.trySuccess(null);
                    } else {
                        done.tryFailure(new java.io.IOException("it answered HTTP " + code + ", not 2xx"));
                    }
                    ctx.close();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.tryFailure(new java.io.IOException("it closed the connection without an answer"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.tryFailure(cause);
            ctx.close();
        }
    }
}
