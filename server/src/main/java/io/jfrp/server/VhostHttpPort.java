package io.jfrp.server;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;

/**
 * The server's {@code vhostHTTPPort}: HTTP/1.1 read with Netty's codec, within named limits (a request
 * line over {@link #MAX_REQUEST_LINE} is answered 414, headers over {@link #MAX_HEADERS} 431, anything
 * unreadable 400, and the connection closed), each request routed by {@link VhostHttpConnection}.
 */
final class VhostHttpPort {

    static final int MAX_REQUEST_LINE = 8192;
    static final int MAX_HEADERS = 64 * 1024;
    /** Bodies pass in pieces of at most this; the stream's window, not this, bounds what is held. */
    static final int MAX_CHUNK = 64 * 1024;
    /** A connection without a (whole) request head for this long is closed, as frp's ReadHeaderTimeout. */
    static final long IDLE_MILLIS = 60_000;

    private VhostHttpPort() {
    }

    /** Makes a user's connection an HTTP one: on this port, or on the bind port when the two are one. */
    static void install(ChannelPipeline p, ServerRuntime rt) {
        rt.routedUsers.add(p.channel());
        p.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        // A user who half-closes after a request still gets the whole answer (see EpollInterest).
        io.jfrp.core.net.EpollInterest.keep(p.channel());
        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(MAX_HEADERS).setMaxChunkSize(MAX_CHUNK)));
        p.addLast("flow", new FlowControlHandler());
        p.addLast("vhost", new VhostHttpConnection(rt, IDLE_MILLIS));
    }

    static ChannelFuture bind(ServerRuntime rt) {
        return rt.bindRouted(rt.config.vhost().vhostHTTPPort(), p -> install(p, rt));
    }
}
