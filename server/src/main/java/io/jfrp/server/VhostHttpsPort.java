package io.jfrp.server;

import io.jfrp.core.log.PeerText;
import io.jfrp.core.mux.LocalSockets;
import io.jfrp.core.mux.StreamRelay;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's {@code vhostHTTPSPort}: each connection's TLS ClientHello is read (Netty's SNI parser, at
 * most {@link #MAX_CLIENT_HELLO} bytes within {@link #HELLO_TIMEOUT_MILLIS}) for its server name, which
 * routes it to an https proxy; the connection then becomes an ordinary stream of that proxy's session,
 * the ClientHello its first bytes, and stays encrypted end to end: the local service holds the
 * certificate. No name, or a name nobody routes, is closed at once.
 */
final class VhostHttpsPort {

    private static final Logger log = LoggerFactory.getLogger(VhostHttpsPort.class);
    static final int MAX_CLIENT_HELLO = 16 * 1024;
    static final long HELLO_TIMEOUT_MILLIS = 10_000;

    private VhostHttpsPort() {
    }

    static ChannelFuture bind(ServerRuntime rt) {
        return rt.bindRouted(rt.config.vhost().vhostHTTPSPort(), p -> p.addLast("sni", new SniRouter(rt, false)));
    }

    /**
     * Reads the server name and routes by it. {@code sharedWithClients}: on the bind port shared with
     * vhostHTTPSPort, a name no https proxy has is a client's TLS, and its connection goes on as one; a
     * routed one leaves the control handlers behind.
     */
    static final class SniRouter extends AbstractSniHandler<DomainRoutes.Route> {
        private final ServerRuntime rt;
        private final boolean sharedWithClients;

        SniRouter(ServerRuntime rt, boolean sharedWithClients) {
            super(MAX_CLIENT_HELLO, HELLO_TIMEOUT_MILLIS);
            this.rt = rt;
            this.sharedWithClients = sharedWithClients;
        }

        @Override
        protected Future<DomainRoutes.Route> lookup(ChannelHandlerContext ctx, String hostname) {
            DomainRoutes.Route route = hostname == null ? null : rt.httpsRoutes.find(hostname, "");
            return ctx.executor().newSucceededFuture(route != null && !route.session().isClosed() ? route : null);
        }

        @Override
        protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<DomainRoutes.Route> f) {
            DomainRoutes.Route route = f.getNow();
            ChannelPipeline p = ctx.pipeline();
            if (route == null && sharedWithClients) {
                p.remove(this); // the ClientHello goes on to the client's TLS
                return;
            }
            if (sharedWithClients) {
                SharedBindPort.removeControl(p);
            }
            if (route == null) {
                String suffix = rt.peerProblems.admit("vhost https");
                if (suffix != null) {
                    log.info("vhost https: {} from {}: closed{}", hostname == null ? "no server name in a TLS ClientHello"
                            : "no https proxy for " + PeerText.escape(hostname), ctx.channel().remoteAddress(), suffix);
                }
                ctx.close();
                return;
            }
            // Read only as the stream asks from here; what this handler holds (the ClientHello) goes first.
            ctx.channel().config().setAutoRead(false);
            p.addLast("relay", new StreamRelay());
            p.remove(this);
            ClientSession session = route.session();
            session.onLoop(() -> session.userConnected(ctx.channel(), route.proxy()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LocalSockets.abort(ctx.channel());
        }
    }
}
