package io.jfrp.server;

import io.jfrp.core.transport.PeerAddress;
import io.jfrp.core.log.PeerText;
import io.jfrp.core.mux.ChannelCarrier;
import io.jfrp.core.mux.MuxSession;
import io.jfrp.core.mux.PingResponder;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.LoginProof;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The first handler of a control channel: preface, hello, challenge, login. A peer that sends
 * anything else, or takes longer than the login deadline, is logged once and closed; a good login
 * hands the channel over to a {@link MuxSession} and a {@link ClientSession}.
 */
final class LoginHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(LoginHandler.class);
    static final long LOGIN_DEADLINE_MILLIS = 10_000;
    static final long REPLAY_WINDOW_MILLIS = 5 * 60_000;
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private enum Stage { PREFACE, HELLO, LOGIN, DONE }

    private final ServerRuntime rt;
    private Stage stage = Stage.PREFACE;
    private byte[] nonce;
    /** What both sides speak: the client's HELLO bits that this server has too (Wire.FEATURE_*). */
    private int features;
    private ScheduledFuture<?> deadline;
    /** The longest heartbeat interval a client may declare: three of them are how long a silent one is kept. */
    static final int MAX_HEARTBEAT_INTERVAL_MILLIS = 300_000;

    LoginHandler(ServerRuntime rt) {
        this.rt = rt;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            peerProblem(ctx, "sent no complete login within " + LOGIN_DEADLINE_MILLIS / 1000 + "s");
            ctx.close();
        }, LOGIN_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        ctx.fireChannelInactive();
    }

    /** Taken off a connection that turned out to be an HTTP user's (the bind port shared with vhostHTTPPort). */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelDeadline();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            Message m = (Message) msg;
            if (m instanceof Message.GoAway g && stage != Stage.DONE) {
                // A client stopping in the middle of its login: a goodbye, not a protocol error.
                log.debug("peer {} left during login: {}", PeerAddress.of(ctx.channel()), g.reason());
                stage = Stage.DONE;
                ctx.close();
                return;
            }
            switch (stage) {
                case PREFACE -> onPreface(ctx, (Message.Preface) m);
                case HELLO -> onHello(ctx, expect(m, Message.Hello.class));
                case LOGIN -> onLogin(ctx, expect(m, Message.Login.class));
                default -> ReferenceCountUtil.release(msg);
            }
        } catch (UnexpectedMessage e) {
            ReferenceCountUtil.release(msg);
            refuse(ctx, ErrorCode.PROTOCOL_ERROR, e.getMessage());
        }
    }

    private <T extends Message> T expect(Message m, Class<T> type) {
        if (!type.isInstance(m)) {
            throw new UnexpectedMessage("expected " + type.getSimpleName() + " during login, got " + m.type());
        }
        return type.cast(m);
    }

    private void onPreface(ChannelHandlerContext ctx, Message.Preface p) {
        if (p.major() != Wire.VERSION_MAJOR) {
            ctx.write(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR));
            refuse(ctx, ErrorCode.VERSION_MISMATCH, "the server speaks jfrp protocol " + Wire.VERSION_MAJOR
                    + ".x and the client " + p.major() + "." + p.minor() + ": "
                    + Wire.upgradeAdvice(Wire.VERSION_MAJOR, p.major()));
            return;
        }
        stage = Stage.HELLO;
    }

    private void onHello(ChannelHandlerContext ctx, Message.Hello h) {
        features = h.features() & Wire.SERVER_FEATURES;
        int lacking = Wire.FEATURES & ~h.features();
        if (lacking != 0) {
            // Once a window per client version: an older jfrpc works, with what both sides have.
            String client = PeerText.escape(h.softwareVersion());
            if (rt.peerProblems.admit("features " + client) != null) {
                log.info("client jfrpc {} from {} lacks {}: its session does without", client,
                        PeerAddress.of(ctx.channel()), Wire.featureNames(lacking));
            }
        }
        nonce = new byte[Wire.NONCE_LENGTH];
        rt.random.nextBytes(nonce);
        ctx.write(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR));
        ctx.writeAndFlush(new Message.Challenge(nonce, JfrpServer.VERSION, features, System.currentTimeMillis()));
        stage = Stage.LOGIN;
    }

    /** A login is checked now, or held while its address, or the user it names, waits out failed logins (LoginThrottle). */
    private void onLogin(ChannelHandlerContext ctx, Message.Login l) {
        stage = Stage.DONE;
        java.net.InetAddress from = PeerAddress.of(ctx.channel()) instanceof java.net.InetSocketAddress a
                ? a.getAddress() : null;
        long now = System.nanoTime();
        long hold = from == null ? 0 : rt.loginThrottle.admit(from, now);
        if (hold < 0) {
            loginRefused(ctx, String.valueOf(PeerAddress.of(ctx.channel())), l, ErrorCode.AUTH_FAILED,
                    "too many failed logins from this address, and others waiting: retry later");
            return;
        }
        String user = rt.users.find(l.user()) != null ? l.user() : null;
        long userHold = user == null ? 0 : rt.userThrottle.admit(user, now);
        if (hold > 0 || userHold > 0) {
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> {
                if (hold > 0) {
                    rt.loginThrottle.released(from);
                }
                if (userHold > 0) {
                    rt.userThrottle.released(user);
                }
                ctx.channel().config().setAutoRead(true);
                if (ctx.channel().isActive()) {
                    checkLogin(ctx, l, from);
                }
            }, Math.max(hold, userHold), TimeUnit.MILLISECONDS);
            return;
        }
        checkLogin(ctx, l, from);
    }

    private void checkLogin(ChannelHandlerContext ctx, Message.Login l, java.net.InetAddress from) {
        String peer = String.valueOf(PeerAddress.of(ctx.channel()));
        if (!RUN_ID.matcher(l.runId()).matches()) {
            refuse(ctx, ErrorCode.PROTOCOL_ERROR, "invalid runId (expected 1-64 of A-Z a-z 0-9 . _ -)");
            return;
        }
        long skew = Math.abs(System.currentTimeMillis() - l.timestampMillis());
        if (skew > REPLAY_WINDOW_MILLIS) {
            loginRefused(ctx, peer, l, ErrorCode.CLOCK_SKEW, "the login timestamp is " + skew / 1000
                    + "s away from the server's clock (allowed: " + REPLAY_WINDOW_MILLIS / 1000
                    + "s); set both hosts' clocks right (NTP)");
            return;
        }
        UserAccounts.Account account = rt.users.find(l.user());
        // A [[users]] entry's own token, else frp's auth.token; with users and no auth.token, nobody else.
        boolean noToken = account == null && !rt.users.isEmpty() && rt.config.authToken().isEmpty();
        String token = account != null ? account.user.token() : rt.config.authToken();
        if (noToken || !LoginProof.verify(token, nonce, l.timestampMillis(), l.runId(), l.proof())) {
            if (from != null) {
                rt.loginThrottle.failed(from, System.nanoTime());
            }
            if (account != null) {
                rt.userThrottle.failed(l.user(), System.nanoTime());
            }
            loginRefused(ctx, peer, l, ErrorCode.AUTH_FAILED,
                    rt.users.isEmpty() ? "authentication failed: the client's auth.token does not match the server's"
                            // The same words for an unknown user and a wrong token: no list of users to be had.
                            : "authentication failed: user \"" + PeerText.escape(l.user()) + "\" with this auth.token "
                            + "is not a user of this server");
            return;
        }
        if (from != null) {
            rt.loginThrottle.succeeded(from);
        }
        if (account != null) {
            rt.userThrottle.succeeded(l.user());
        }
        if (l.heartbeatIntervalMillis() < 0 || l.heartbeatIntervalMillis() > MAX_HEARTBEAT_INTERVAL_MILLIS) {
            // The client's interval sets how long this server waits for a silent client: its own limit wins.
            loginRefused(ctx, peer, l, ErrorCode.PROTOCOL_ERROR, "a heartbeat interval of " + l.heartbeatIntervalMillis()
                    + " ms is outside this server's limit (0 to " + MAX_HEARTBEAT_INTERVAL_MILLIS / 1000
                    + " s): set transport.heartbeatInterval within it");
            return;
        }
        SessionRegistry.Found found = rt.registry.sessionFor(rt, l.runId(), l.user(), account, ctx.channel().eventLoop(),
                s -> LoginProof.verifyResume(s.secret, nonce, l.runId(), l.resumeProof()));
        if (found.userFull()) {
            loginRefused(ctx, peer, l, ErrorCode.AUTH_FAILED, "user " + l.user() + " has " + account.user.maxSessions()
                    + " sessions already (maxSessions on the server)");
            return;
        }
        ClientSession session = found.session();
        if (session == null) {
            loginRefused(ctx, peer, l, ErrorCode.SESSION_NOT_YOURS, "this runId belongs to a live session that this "
                    + "client cannot prove is its own (a state file or clientID shared with another client?); it is "
                    + "free once that session ends");
            return;
        }
        cancelDeadline();
        long hbTimeout = Math.max(rt.config.heartbeatTimeout().toMillis(), 3L * l.heartbeatIntervalMillis());
        ClientPeer client = new JfrpClientPeer(ctx.channel(), peer);
        SessionChannel handler = new SessionChannel(session, client, hbTimeout);
        ctx.pipeline().addAfter("decoder", "heartbeat-timeout", new IdleStateHandler(hbTimeout, 0, 0, TimeUnit.MILLISECONDS));
        // Joining the pipeline attaches the channel to the session's streams (on the session's loop, first).
        ctx.pipeline().replace(this, "mux", new ChannelCarrier(session.mux(), features & Wire.FEATURES));
        ctx.pipeline().addLast("pings", new PingResponder());
        ctx.pipeline().addLast("session", handler);
        boolean join = (features & Wire.FEATURE_JOIN) != 0;
        session.onLoop(() -> session.attach(client, l.hostname(), join));
    }

    private void loginRefused(ChannelHandlerContext ctx, String peer, Message.Login l, ErrorCode code, String reason) {
        rt.loginFailures.refused(code, peer, l.user(), reason);
        String suffix = rt.peerProblems.admit("login-refused");
        if (suffix != null) {
            log.warn("login refused for client {} (runId {}, host {}): {}{}", peer, PeerText.escape(l.runId()),
                    PeerText.escape(l.hostname()),
                    reason, suffix);
        }
        ctx.writeAndFlush(new Message.LoginFail(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    private void refuse(ChannelHandlerContext ctx, ErrorCode code, String reason) {
        peerProblem(ctx, reason);
        stage = Stage.DONE;
        ctx.writeAndFlush(new Message.GoAway(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    private void peerProblem(ChannelHandlerContext ctx, String what) {
        String suffix = rt.peerProblems.admit("peer-problem");
        if (suffix != null) {
            log.warn("peer {} on the bind port: {}; closing{}", PeerAddress.of(ctx.channel()), what, suffix);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stage = Stage.DONE;
        if (cause instanceof IOException) {
            log.debug("peer {}: {}", PeerAddress.of(ctx.channel()), cause.toString());
        } else {
            Throwable root = cause.getCause() != null && cause.getMessage() != null
                    && cause.getMessage().startsWith(cause.getCause().getClass().getName()) ? cause.getCause() : cause;
            peerProblem(ctx, "is not a jfrp client: " + root.getMessage());
        }
        ctx.close();
    }

    private static final class UnexpectedMessage extends RuntimeException {
        UnexpectedMessage(String message) {
            super(message, null, false, false);
        }
    }
}
