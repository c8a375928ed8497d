package io.jfrp.server;

import io.jfrp.core.mux.LocalSockets;
import io.jfrp.core.mux.MuxSession;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.Message;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of one client (one runId). It outlives channels: when its channel drops it keeps
 * the client's ports for the grace period and holds user connections that arrive meanwhile; when the
 * client logs in again (on any channel) it resumes at once with its ports, and a stale channel that
 * never said goodbye is replaced. All state lives on {@link #loop}.
 */
final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    /** At most this many user connections wait for an absent client; more are closed at once. */
    static final int MAX_HELD = 256;

    final String runId;
    final String user;
    final EventLoop loop;
    private final ServerRuntime rt;
    private final ProxyPorts ports;
    private final ArrayDeque<HeldConnection> held = new ArrayDeque<>();
    private volatile String peer = "?";
    private volatile Channel channel;
    /** The session's streams; they travel on whichever channel is attached. */
    private final MuxSession mux;
    private ScheduledFuture<?> graceTimer;
    private ScheduledFuture<?> confirmTimer;
    private volatile boolean closed;

    private record HeldConnection(Channel user, String proxyName, ScheduledFuture<?> timeout) {
    }

    ClientSession(ServerRuntime rt, String runId, String user, EventLoop loop) {
        this.rt = rt;
        this.runId = runId;
        this.user = user;
        this.loop = loop;
        this.ports = new ProxyPorts(rt, this);
        this.mux = new MuxSession(loop, true, rt.memory, new MuxSession.StreamListener() {
            @Override
            public void onStreamRefused(String proxyName, String userAddress, String reason) {
                String suffix = rt.peerProblems.admit("refused " + proxyName);
                if (suffix != null) {
                    log.warn("proxy {} of client {}: user connection from {} closed: {}{}", proxyName, runId,
                            userAddress, reason, suffix);
                }
            }
        });
    }

    MuxSession mux() {
        return mux;
    }

    private static String proxies(int n) {
        return n + (n == 1 ? " proxy" : " proxies");
    }

    void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    String peer() {
        return peer;
    }

    boolean isClosed() {
        return closed;
    }

    boolean isAttached() {
        return channel != null;
    }

    /**
     * A login for this runId succeeded on {@code ch}, whose {@link io.jfrp.core.mux.ChannelCarrier} has
     * attached it to {@link #mux()}: make it the session's channel.
     */
    void attach(Channel ch, String fromPeer, String hostname) {
        if (closed) {
            ch.writeAndFlush(new Message.GoAway(ErrorCode.TIMEOUT, "the session ended during login; log in again"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        boolean resumed = channel != null || graceTimer != null || ports.size() > 0;
        if (channel != null && channel != ch) {
            log.info("client {} logged in again from {}; its channel from {} is replaced", runId, fromPeer, peer);
            channel.writeAndFlush(new Message.GoAway(ErrorCode.REPLACED, "replaced by a new login of the same client"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
        if (graceTimer != null) {
            graceTimer.cancel(false);
            graceTimer = null;
        }
        channel = ch;
        peer = fromPeer;
        if (resumed) {
            log.info("client {} resumed from {} (host {}): {} kept, {} user connections waiting", runId,
                    fromPeer, hostname, proxies(ports.size()), held.size());
            ports.expectConfirmation();
            if (confirmTimer != null) {
                confirmTimer.cancel(false);
            }
            confirmTimer = loop.schedule(ports::closeUnconfirmed, rt.config.userConnTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            log.info("client {} logged in from {} (host {}{})", runId, fromPeer, hostname,
                    user.isEmpty() ? "" : ", user " + user);
        }
        ch.writeAndFlush(new Message.LoginOk(runId, resumed ? "resumed" : "welcome"));
        HeldConnection h;
        while ((h = held.poll()) != null) {
            h.timeout.cancel(false);
            if (h.user.isActive()) {
                mux.openStream(h.user, h.proxyName, rt.config.userConnTimeout().toMillis());
            }
        }
    }

    /** A control message from the session's current channel. */
    void onMessage(Channel from, Message m) {
        if (from != channel) {
            return;
        }
        if (m instanceof Message.NewProxy np) {
            ports.open(np);
        } else if (m instanceof Message.CloseProxy cp) {
            ports.close(ports.qualified(cp.name()), "the client closed it");
        }
    }

    void reply(Message m) {
        if (channel != null) {
            channel.writeAndFlush(m, channel.voidPromise());
        }
    }

    /** A user connected to one of this session's ports. */
    void userConnected(Channel userChannel, String proxyName) {
        if (channel != null && mux.attached()) {
            mux.openStream(userChannel, proxyName, rt.config.userConnTimeout().toMillis());
            return;
        }
        if (closed || held.size() >= MAX_HELD) {
            LocalSockets.abort(userChannel);
            return;
        }
        long wait = Math.min(rt.config.userConnTimeout().toMillis(), rt.config.sessionGracePeriod().toMillis());
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            held.removeIf(h -> h.user == userChannel);
            // The service never answered: a reset, so the user's application sees a failure, not an empty reply.
            LocalSockets.abort(userChannel);
        }, wait, TimeUnit.MILLISECONDS);
        held.add(new HeldConnection(userChannel, proxyName, timeout));
        userChannel.closeFuture().addListener(f -> onLoop(() -> held.removeIf(h -> h.user == userChannel)));
        String suffix = rt.peerProblems.admit("held " + runId);
        if (suffix != null) {
            log.info("proxy {}: holding a user connection from {} until client {} returns (at most {} ms){}",
                    proxyName, userChannel.remoteAddress(), runId, wait, suffix);
        }
    }

    /** The channel {@code ch} ended. A client that said goodbye is gone; one that did not may come back. */
    void channelEnded(Channel ch, String reason, boolean goodbye) {
        if (ch != channel) {
            return; // a channel this session already replaced
        }
        channel = null;
        if (goodbye || rt.stopping || rt.config.sessionGracePeriod().isZero()) {
            close(reason);
            return;
        }
        long grace = rt.config.sessionGracePeriod().toMillis();
        log.info("client {} from {}: channel lost ({}); keeping its {} for {} ms", runId, peer, reason,
                proxies(ports.size()), grace);
        graceTimer = loop.schedule(() -> {
            graceTimer = null;
            List<Integer> kept = ports.ports();
            log.warn("client {} did not return within {} ms; closing its {} (ports {})", runId, grace,
                    proxies(kept.size()), kept);
            close("grace period over");
        }, grace, TimeUnit.MILLISECONDS);
    }

    /** Ends the session: ports closed, waiting users closed, name and runId released. */
    List<ChannelFuture> close(String reason) {
        closed = true;
        if (graceTimer != null) {
            graceTimer.cancel(false);
        }
        if (confirmTimer != null) {
            confirmTimer.cancel(false);
        }
        int n = ports.size();
        List<ChannelFuture> closing = ports.closeAll();
        // Closing a held connection removes it from the queue (its close listener): iterate over a copy.
        List<HeldConnection> waiting = new ArrayList<>(held);
        held.clear();
        waiting.forEach(h -> {
            h.timeout.cancel(false);
            LocalSockets.abort(h.user);
        });
        rt.registry.unregister(this);
        if (channel != null) {
            channel.writeAndFlush(new Message.GoAway(ErrorCode.SHUTTING_DOWN, reason)).addListener(ChannelFutureListener.CLOSE);
            channel = null;
        }
        log.info("client {} session ended ({}); closed {}", runId, reason, proxies(n));
        return closing;
    }
}
