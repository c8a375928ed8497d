package io.jfrp.client;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.mux.ChannelCarrier;
import io.jfrp.core.net.OutboundLimit;
import io.jfrp.core.tls.Fingerprints;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.LoginProof;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.ProtocolException;
import io.jfrp.protocol.Wire;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The client's end of one control channel: login, proxy registration, heartbeats. It reports to the
 * {@link ControlLoop}, which decides what happens when the channel ends.
 */
final class ControlHandler extends ChannelInboundHandlerAdapter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ControlHandler.class);

    private final ControlLoop loop;
    private final ClientConfig config;
    private final String runId;
    /** This channel joins the session beside the one it has (a move made before the break, Wire.FEATURE_JOIN). */
    private final boolean joins;
    private boolean loggedIn;
    private boolean authRefused;
    /** The server speaks another major version: nothing more it sends is read. */
    private boolean versionRefused;
    private boolean slowRetry;
    private String closeReason;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> loginDeadline;
    /** When the server was last heard from, if the channel ends because it went silent; else MAX_VALUE. */
    private long silentSince = Long.MAX_VALUE;

    ControlHandler(ControlLoop loop, ClientConfig config, String runId, boolean joins) {
        this.loop = loop;
        this.joins = joins;
        this.config = config;
        this.runId = runId;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        loop.opened(ctx.channel());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long deadline = config.dialServerTimeout().toMillis();
        loginDeadline = ctx.executor().schedule(() -> {
            closeReason = "no login answer from the server within " + deadline + " ms";
            ctx.close();
        }, deadline, TimeUnit.MILLISECONDS);
        ctx.write(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR));
        ctx.writeAndFlush(new Message.Hello(JfrpClient.VERSION, joins ? Wire.FEATURES | Wire.FEATURE_JOIN : Wire.FEATURES));
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                reportCertificate(ctx);
            } else {
                closeReason = e.cause() instanceof java.nio.channels.ClosedChannelException
                        ? "the server closed the connection during the TLS handshake"
                        : "TLS handshake failed: " + rootMessage(e.cause());
            }
        } else if (evt instanceof OutboundLimit.Exceeded e) {
            closeReason = "the server reads nothing this client sends (" + e.queuedBytes() / 1024
                    + " KiB queued, limit " + e.limitBytes() / 1024 + " KiB)";
            return;
        } else if (evt instanceof IdleStateEvent) {
            closeReason = "no heartbeat answer from the server for " + config.heartbeatTimeout().toMillis() + " ms";
            silentSince = System.nanoTime() - config.heartbeatTimeout().toNanos();
            // Closed beneath TLS and any framing: a goodbye would wait, up to seconds, for a dead link to take it.
            ctx.pipeline().firstContext().close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void reportCertificate(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        try {
            String fp = Fingerprints.sha256(ssl.engine().getSession().getPeerCertificates()[0]);
            loop.notices().certificate(fp);
        } catch (SSLPeerUnverifiedException e) {
            // no certificate to report
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (versionRefused) {
            // What a server of another protocol sends after its preface (its GoAway, in its words) says
            // less than the versions do; it was read in the same batch, before the close took effect.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof Message.Preface p) {
            if (p.major() != Wire.VERSION_MAJOR) {
                closeReason = "the server speaks jfrp protocol " + p.major() + "." + p.minor() + " and this client "
                        + Wire.VERSION_MAJOR + ".x: " + Wire.upgradeAdvice(p.major(), Wire.VERSION_MAJOR);
                authRefused = true;
                versionRefused = true;
                ctx.close();
            }
        } else if (msg instanceof Message.Challenge c) {
            // The bits the server answers with are what both speak (none from a 1.0 server): streams use them.
            ctx.pipeline().get(ChannelCarrier.class).negotiated(c.features() & Wire.FEATURES);
            loop.notices().features(c.softwareVersion(), Wire.FEATURES & ~c.features());
            long now = System.currentTimeMillis();
            byte[] proof = LoginProof.compute(config.authToken(), c.nonce(), now, runId);
            byte[] secret = loop.sessionSecret();
            byte[] resume = secret == null ? new byte[0] : LoginProof.resume(secret, c.nonce(), runId);
            ctx.writeAndFlush(new Message.Login(runId, config.user(), now, proof, loop.hostname(),
                    (int) config.heartbeatInterval().toMillis(), resume));
        } else if (msg instanceof Message.LoginOk ok) {
            loop.sessionSecret(ok.sessionSecret());
            onLoggedIn(ctx, "resumed".equals(ok.message()));
        } else if (msg instanceof Message.LoginFail f) {
            authRefused = f.code() == ErrorCode.AUTH_FAILED;
            // Neither a wrong token nor a wrong clock mends itself in a second: retry slowly.
            // A session this client cannot prove is its own is freed only when it ends: no use asking every second.
            slowRetry = f.code() == ErrorCode.CLOCK_SKEW || f.code() == ErrorCode.SESSION_NOT_YOURS;
            closeReason = "the server refused the login: " + f.reason();
            ctx.close();
        } else if (msg instanceof Message.NewProxyResult r) {
            ProxyConfig p = loop.proxy(r.name());
            if (loop.proxyResult(r) && p != null) {
                ctx.writeAndFlush(ProxySet.request(p, 0), ctx.voidPromise());
            }
        } else if (msg instanceof Message.Pong p) {
            loop.rtt(ctx.channel(), System.nanoTime() - p.sentNanos());
        } else if (msg instanceof Message.GoAway g) {
            if (g.code() == ErrorCode.REPLACED) {
                // Only a live duplicate hears this: the server replaced this channel with another login of
                // the same runId. Coming back at once would replace that one in turn, and so on forever.
                closeReason = "another jfrpc logged in with this client's runId (" + runId + "); is its state file "
                        + "copied to another host? Retrying slowly";
                slowRetry = true;
            } else {
                closeReason = "the server closed the session: " + g.reason();
                // A setting to change on one side (TLS on a TLS-only server, say): not worth a fast retry.
                slowRetry = g.code() == ErrorCode.UNSUPPORTED;
            }
            authRefused = g.code() == ErrorCode.VERSION_MISMATCH;
            ctx.close();
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onLoggedIn(ChannelHandlerContext ctx, boolean resumed) {
        loggedIn = true;
        loginDeadline.cancel(false);
        long interval = config.heartbeatInterval().toNanos();
        heartbeat = ctx.executor().scheduleAtFixedRate(
                () -> {
                    // frp's words, for scripts that read a debug log.
                    log.debug("send heartbeat to server");
                    ctx.writeAndFlush(new Message.Ping(System.nanoTime()), ctx.voidPromise());
                },
                interval, interval, TimeUnit.NANOSECONDS);
        loop.loggedIn(ctx.channel(), resumed).forEach((p, port) ->
                ctx.write(ProxySet.request(p, port), ctx.voidPromise()));
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (loginDeadline != null) {
            loginDeadline.cancel(false);
        }
        String reason = closeReason != null ? closeReason
                : loggedIn ? "the server closed the connection" : "the server closed the connection during login";
        loop.channelClosed(ctx.channel(), loggedIn, authRefused || slowRetry, reason, silentSince);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closeReason == null) {
            if (hasCause(cause, javax.net.ssl.SSLException.class)) {
                closeReason = "TLS handshake failed: " + rootMessage(cause);
            } else if (cause instanceof ProtocolException || cause.getCause() instanceof ProtocolException) {
                closeReason = "the server sent an invalid frame: " + cause.getMessage();
            } else if (cause instanceof IOException) {
                closeReason = cause.getMessage();
            } else {
                closeReason = rootMessage(cause);
            }
        }
        ctx.close();
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() != null ? r.getMessage() : r.toString();
    }


}
