package io.jfrp.server;

import io.jfrp.core.transport.PeerAddress;
import io.jfrp.core.config.ProxyType;
import io.jfrp.core.log.PeerText;
import io.jfrp.core.net.OutboundLimit;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.ProtocolException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The last handler of a logged-in control channel: answers heartbeats, passes control messages to its
 * {@link ClientSession}, and tells the session when and why the channel ended.
 */
final class SessionChannel extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SessionChannel.class);

    private final ClientSession session;
    private final ClientPeer peer;
    private final long heartbeatTimeoutMillis;
    private String closeReason = "the connection closed";
    /** How the channel ended, for the session: see {@link ClientSession.ChannelEnd}. */
    private ClientSession.ChannelEnd end = ClientSession.ChannelEnd.CLOSED;

    SessionChannel(ClientSession session, ClientPeer peer, long heartbeatTimeoutMillis) {
        this.session = session;
        this.peer = peer;
        this.heartbeatTimeoutMillis = heartbeatTimeoutMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Message.NewProxy np) {
            String nameProblem = ProxyRequest.nameProblem(np.name());
            if (nameProblem != null) {
                peer.proxyRefused(np.name(), ProxyRefusal.BAD_NAME, nameProblem);
                return;
            }
            ProxyType type = ProxyType.of(np.proxyType()).orElse(null);
            if (type == null) {
                // Not a type of frp's either: nothing the session could decide about.
                peer.proxyRefused(np.name(), ProxyRefusal.TYPE_NOT_SERVED, "proxy type \"" + PeerText.escape(np.proxyType())
                        + "\" is unknown to this server");
                return;
            }
            ProxyRequest req = new ProxyRequest(np.name(), type, np.remotePort(), np.annotations(),
                    java.util.Arrays.stream(np.options().getOrDefault(Message.NewProxy.CUSTOM_DOMAINS, "").split(","))
                            .map(String::trim).filter(d -> !d.isEmpty()).toList(),
                    np.options().getOrDefault(Message.NewProxy.SUBDOMAIN, ""), np.options());
            session.onLoop(() -> session.openProxy(peer, req));
        } else if (msg instanceof Message.CloseProxy cp) {
            session.onLoop(() -> session.closeProxy(peer, cp.name()));
        } else if (msg instanceof Message.GoAway g) {
            closeReason = "the client said goodbye: " + g.reason();
            if (g.code() == ErrorCode.SHUTTING_DOWN) {
                end = ClientSession.ChannelEnd.GOODBYE;
            }
            ctx.close();
        } else if (!(msg instanceof Message.Pong)) {
            ReferenceCountUtil.release(msg);
            closeWith(ctx, "unexpected " + ((msg instanceof Message m) ? m.type() : msg) + " after login");
        }
    }

    private void closeWith(ChannelHandlerContext ctx, String reason) {
        closeReason = reason;
        log.warn("client {} from {}: {}; closing", session.runId, PeerAddress.of(ctx.channel()), reason);
        ctx.writeAndFlush(new Message.GoAway(ErrorCode.PROTOCOL_ERROR, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof OutboundLimit.Exceeded e) {
            closeReason = "it reads nothing this server sends (" + e.queuedBytes() / 1024 + " KiB queued for it, limit "
                    + e.limitBytes() / 1024 + " KiB)";
            log.warn("client {} from {}: {}; closing the channel", session.runId, PeerAddress.of(ctx.channel()), closeReason);
            return;
        }
        if (evt instanceof IdleStateEvent) {
            closeReason = "no heartbeat for " + heartbeatTimeoutMillis + " ms";
            end = ClientSession.ChannelEnd.SILENT;
            log.warn("client {} from {}: {}; closing the channel", session.runId, PeerAddress.of(ctx.channel()), closeReason);
            // Closed beneath TLS and any framing: a goodbye would wait, up to seconds, for a dead link to take it.
            ctx.pipeline().firstContext().close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String reason = closeReason;
        ClientSession.ChannelEnd how = end;
        session.onLoop(() -> session.channelEnded(peer, reason, how));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ProtocolException || cause.getCause() instanceof ProtocolException) {
            closeWith(ctx, "sent an invalid frame: " + cause.getMessage());
        } else if (cause instanceof IOException) {
            closeReason = cause.getMessage();
            ctx.close();
        } else {
            log.warn("client {}: unexpected error; closing the channel", session.runId, cause);
            closeReason = String.valueOf(cause);
            ctx.close();
        }
    }
}
