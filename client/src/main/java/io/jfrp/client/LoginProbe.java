package io.jfrp.client;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.log.PeerText;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.LoginProof;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

import java.security.cert.Certificate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The doctor's login, speaking just enough of the protocol to learn what a real one would meet: the
 * server's certificate, its protocol version and features, its clock, whether this config's token is
 * taken, and then, asked of the server without opening anything, whether each proxy's name and remote
 * port would be. A throwaway runId: a running client of the same config is not disturbed. Runs on the
 * channel's loop; {@link #done} completes when there is nothing more to learn.
 */
final class LoginProbe extends ChannelInboundHandlerAdapter {

    private final ClientConfig c;
    private final String runId;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    /** What was learned; read after {@link #done}. */
    volatile Certificate certificate;
    volatile String tlsFailure;
    volatile Message.Preface preface;
    volatile Message.Challenge challenge;
    /** The local clock half-way between the hello and the challenge (ms): what the server's clock is compared with. */
    volatile long challengeMidpointMillis;
    /** The login's result: null before, "" when accepted, else why not. */
    volatile String loginRefusal;
    volatile ErrorCode loginCode;
    /** Each proxy the server was asked about: "" when it would take it, else why not. */
    final Map<String, String> proxies = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Boolean> asked = new HashMap<>();
    private long helloSentMillis;

    LoginProbe(ClientConfig c, String runId) {
        this.c = c;
        this.runId = runId;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        helloSentMillis = System.currentTimeMillis();
        ctx.write(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR));
        ctx.writeAndFlush(new Message.Hello(JfrpClient.VERSION, Wire.FEATURES));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                try {
                    certificate = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates()[0];
                } catch (javax.net.ssl.SSLPeerUnverifiedException ex) {
                    tlsFailure = "the server presented no certificate";
                }
            } else {
                Throwable r = e.cause();
                while (r.getCause() != null) {
                    r = r.getCause();
                }
                tlsFailure = "TLS handshake failed: " + r.getMessage();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Message.Preface p) {
            preface = p;
            if (p.major() != Wire.VERSION_MAJOR) {
                ctx.close();
            }
        } else if (msg instanceof Message.Challenge ch) {
            long now = System.currentTimeMillis();
            challengeMidpointMillis = (helloSentMillis + now) / 2;
            challenge = ch;
            ctx.writeAndFlush(new Message.Login(runId, c.user(), now, LoginProof.compute(c.authToken(), ch.nonce(),
                    now, runId), "doctor", (int) c.heartbeatInterval().toMillis()));
        } else if (msg instanceof Message.LoginOk) {
            loginRefusal = "";
            askAboutProxies(ctx);
        } else if (msg instanceof Message.LoginFail f) {
            loginRefusal = f.reason();
            loginCode = f.code();
            ctx.close();
        } else if (msg instanceof Message.NewProxyResult r) {
            if (asked.remove(r.name()) != null) {
                proxies.put(r.name(), r.code() == ErrorCode.OK ? "" : r.error());
            }
            if (asked.isEmpty()) {
                bye(ctx);
            }
        } else if (msg instanceof Message.GoAway g) {
            if (loginRefusal == null) {
                loginRefusal = "the server closed: " + g.reason();
                loginCode = g.code();
            }
            ctx.close();
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Each proxy's name and port, checked by the server without opening anything (Message.NewProxy.CHECK_ONLY). */
    private void askAboutProxies(ChannelHandlerContext ctx) {
        List<ProxyConfig> all = c.proxies();
        if (all.isEmpty()) {
            bye(ctx);
            return;
        }
        for (ProxyConfig p : all) {
            asked.put(p.name(), true);
            Message.NewProxy req = ProxySet.request(p, p.remotePort());
            Map<String, String> options = new HashMap<>(req.options());
            options.put(Message.NewProxy.CHECK_ONLY, "1");
            ctx.write(new Message.NewProxy(req.name(), req.proxyType(), req.remotePort(), options));
        }
        ctx.flush();
    }

    private void bye(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(new Message.GoAway(ErrorCode.SHUTTING_DOWN, "doctor done")).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done.complete(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (loginRefusal == null && tlsFailure == null) {
            tlsFailure = PeerText.escape(String.valueOf(cause.getMessage()));
        }
        ctx.close();
    }
}
