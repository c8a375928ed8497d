package io.jfrp.server;

import io.jfrp.core.lifecycle.LifecycleEvent;
import io.jfrp.core.log.PeerText;
import io.jfrp.core.mux.DatagramFlow;
import io.jfrp.core.mux.ExchangeEnd;
import io.jfrp.core.mux.LocalSockets;
import io.jfrp.core.mux.MuxSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of one client (one runId). It outlives channels: when its channel drops it keeps
 * the client's ports for the grace period and holds user connections that arrive meanwhile; when the
 * client logs in again (on any channel) it resumes at once with its ports, and a stale channel that
 * never said goodbye is replaced. It talks to its client through a {@link ClientPeer}, whatever protocol
 * that speaks, and reports what happens as {@link LifecycleEvent}s. All state lives on {@link #loop}.
 */
final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    /** At most this many user connections wait for an absent client; more are closed at once. */
    static final int MAX_HELD = 256;

    final String runId;
    final String user;
    /** The [[users]] entry this session counts against; null for a client of auth.token. */
    final UserAccounts.Account account;
    /** What a login must prove (LoginProof.resume) to resume this session: a runId alone never does. */
    final byte[] secret = new byte[32];
    final EventLoop loop;
    private final ServerRuntime rt;
    private final ProxyPorts ports;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private volatile String peerAddress = "?";
    /** The client on the session's current channel; null while the session waits for it. */
    private volatile ClientPeer peer;
    /** The session's streams; they travel on whichever channel is attached. */
    private final MuxSession mux;
    private ScheduledFuture<?> graceTimer;
    private ScheduledFuture<?> confirmTimer;
    private volatile boolean closed;

    /** A user connection or HTTP exchange waiting for the client: what opens its stream, and what refuses it. */
    private record Held(Object user, Runnable open, Runnable abort, java.util.function.BooleanSupplier alive,
                        ScheduledFuture<?> timeout) {
    }

    /** How a session's channel ended, which decides what its users meet until the client is back. */
    enum ChannelEnd {
        /** The client said it is going: the session ends. */
        GOODBYE,
        /** Nothing arrived for the heartbeat timeout: the link, not the client, is the likely loss. Users are held. */
        SILENT,
        /**
         * The connection was closed or reset (the client's process died, or something on the way reset
         * it). Users are refused at once, as by frp, and the ports stay this session's for the grace period.
         */
        CLOSED
    }

    ClientSession(ServerRuntime rt, String runId, String user, UserAccounts.Account account, EventLoop loop) {
        this.rt = rt;
        this.account = account;
        this.runId = runId;
        this.user = user;
        this.loop = loop;
        rt.random.nextBytes(secret);
        this.ports = new ProxyPorts(rt, this);
        this.mux = new MuxSession(loop, true, rt.memory, new MuxSession.StreamListener() {
            @Override
            public void onStreamRefused(String proxyName, String userAddress, String reason) {
                rt.events.on(new LifecycleEvent.StreamRefused(runId, proxyName, userAddress, reason));
            }

            @Override
            public void onStreamOpened(String proxyName, int streamId, String userAddress) {
                if (account != null) {
                    account.streamOpened();
                }
                rt.events.on(new LifecycleEvent.StreamOpened(runId, proxyName, streamId, userAddress));
            }

            @Override
            public void onStreamClosed(String proxyName, int streamId, long bytesIn, long bytesOut, boolean broken) {
                if (account != null) {
                    account.streamClosed(); // only an opened stream reports its close: the count pairs
                }
                rt.events.on(new LifecycleEvent.StreamClosed(runId, proxyName, streamId, bytesIn, bytesOut, broken));
            }
        });
        // frp's bandwidthLimitMode = "server": the streams of a limited proxy keep to its rate on this side.
        mux.limitBy(ports.rates::of);
    }

    MuxSession mux() {
        return mux;
    }

    void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    String peer() {
        return peerAddress;
    }

    boolean isClosed() {
        return closed;
    }

    boolean isAttached() {
        return peer != null;
    }

    /**
     * A login for this runId succeeded, and the channel of {@code client} has attached itself to
     * {@link #mux()} (its carrier did, on joining the pipeline): it becomes the session's client. A
     * channel that {@code joins} leaves the one before it open: that one carries its streams until they
     * end and the client closes it, and it is no longer heard for anything else.
     */
    void attach(ClientPeer client, String hostname, boolean joins) {
        if (closed) {
            client.dismiss(ClientPeer.Dismissal.LOGIN_TOO_LATE, "the session ended during login; log in again");
            return;
        }
        boolean resumed = peer != null || graceTimer != null || ports.size() > 0;
        String replaced = null;
        if (peer != null && peer != client) {
            replaced = peer.address();
            if (!joins) {
                peer.dismiss(ClientPeer.Dismissal.REPLACED, "replaced by a new login of the same client");
            }
        }
        if (graceTimer != null) {
            graceTimer.cancel(false);
            graceTimer = null;
        }
        peer = client;
        peerAddress = client.address();
        ports.resumeAll();
        if (resumed) {
            rt.events.on(new LifecycleEvent.SessionResumed(runId, client.address(), hostname, replaced, ports.size(),
                    held.size(), joins));
            ports.expectConfirmation();
            if (confirmTimer != null) {
                confirmTimer.cancel(false);
            }
            confirmTimer = loop.schedule(ports::closeUnconfirmed, rt.config.userConnTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            rt.events.on(new LifecycleEvent.SessionEstablished(runId, client.address(), hostname, user));
        }
        client.welcome(runId, resumed, secret);
        Held h;
        while ((h = held.poll()) != null) {
            h.timeout.cancel(false);
            if (h.alive.getAsBoolean()) {
                h.open.run();
            }
        }
    }

    /** The session's client asks for a proxy; a client this session has replaced is not heard. */
    void openProxy(ClientPeer from, ProxyRequest request) {
        if (from == peer) {
            ports.open(from, request);
        }
    }

    void closeProxy(ClientPeer from, String name) {
        if (from == peer) {
            ports.close(ports.qualified(name), "the client closed it");
        }
    }

    /**
     * Whether the session's user has all the connections it may have ({@code maxStreams}): then the one
     * from {@code userAddress} is refused, and that is reported.
     */
    private boolean userFull(String proxyName, Object userAddress) {
        if (account == null || !account.streamsFull()) {
            return false;
        }
        rt.events.on(new LifecycleEvent.StreamRefused(runId, proxyName, String.valueOf(userAddress), "user "
                + account.user.name() + " has " + account.user.maxStreams() + " connections open (maxStreams)"));
        return true;
    }

    /** A user connected to one of this session's ports. */
    void userConnected(Channel userChannel, String proxyName) {
        if (userFull(proxyName, userChannel.remoteAddress())) {
            LocalSockets.abort(userChannel);
            return;
        }
        long openTimeout = rt.config.userConnTimeout().toMillis();
        if (peer != null && mux.attached()) {
            mux.openStream(userChannel, proxyName, openTimeout);
            return;
        }
        hold(userChannel, proxyName, String.valueOf(userChannel.remoteAddress()),
                () -> mux.openStream(userChannel, proxyName, openTimeout),
                // The service never answered: a reset, so the user's application sees a failure, not an empty reply.
                () -> LocalSockets.abort(userChannel), userChannel::isActive);
        userChannel.closeFuture().addListener(f -> onLoop(() -> held.removeIf(h -> h.user == userChannel)));
    }

    /** A request on the vhost HTTP port routed to one of this session's proxies: one exchange, one stream. */
    void userExchange(ExchangeEnd exchange, String proxyName) {
        if (userFull(proxyName, exchange.remoteAddress())) {
            exchange.abort();
            return;
        }
        long openTimeout = rt.config.userConnTimeout().toMillis();
        if (peer != null && mux.attached()) {
            mux.openStream(exchange, proxyName, openTimeout);
            return;
        }
        hold(exchange, proxyName, String.valueOf(exchange.remoteAddress()),
                () -> mux.openStream(exchange, proxyName, openTimeout), exchange::abort, () -> !exchange.isClosed());
        exchange.onClosed(() -> onLoop(() -> held.removeIf(h -> h.user == exchange)));
    }

    /** Keeps a user until the client is back (at most the user timeout, and no longer than the grace period). */
    private void hold(Object user, String proxyName, String from, Runnable open, Runnable abort,
                      java.util.function.BooleanSupplier alive) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> hold(user, proxyName, from, open, abort, alive));
            return;
        }
        if (peer != null && mux.attached()) {
            open.run(); // the client came back while this hopped here
            return;
        }
        if (closed || held.size() >= MAX_HELD) {
            abort.run();
            return;
        }
        long wait = Math.min(rt.config.userConnTimeout().toMillis(), rt.config.sessionGracePeriod().toMillis());
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            held.removeIf(h -> h.user == user);
            abort.run();
        }, wait, TimeUnit.MILLISECONDS);
        held.add(new Held(user, open, abort, alive, timeout));
        String suffix = rt.peerProblems.admit("held " + runId);
        if (suffix != null) {
            log.info("proxy {}: holding a user connection from {} until client {} returns (at most {} ms){}",
                    PeerText.escape(proxyName), from, runId, wait, suffix);
        }
    }

    /**
     * A new user address sent a datagram to one of this session's UDP ports. Without its client there is
     * nobody to hand it to: UDP's answer is to drop it (the address's next datagram tries again).
     */
    void userFlow(DatagramFlow flow, String proxyName) {
        if (peer != null && mux.attached() && !userFull(proxyName, flow.remoteAddress())) {
            mux.openStream(flow, proxyName, rt.config.userConnTimeout().toMillis());
        } else {
            flow.close();
        }
    }

    /** The channel of {@code client} ended. A client that said goodbye is gone; one that did not may come back. */
    void channelEnded(ClientPeer client, String reason, ChannelEnd how) {
        if (client != peer) {
            return; // a channel this session already replaced
        }
        peer = null;
        if (how == ChannelEnd.GOODBYE || rt.stopping || rt.config.sessionGracePeriod().isZero()) {
            close(reason);
            return;
        }
        if (how == ChannelEnd.CLOSED) {
            ports.pauseAll();
        }
        Duration grace = rt.config.sessionGracePeriod();
        rt.events.on(new LifecycleEvent.SessionLost(runId, client.address(), reason, ports.size(), grace,
                how == ChannelEnd.SILENT));
        graceTimer = loop.schedule(() -> {
            graceTimer = null;
            close("the client did not return within " + grace.toMillis() + " ms; ports " + ports.ports());
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The server's config was reloaded (call on this session's loop): a session whose login the new
     * config no longer accepts ends, and its client hears {@code revoked}; otherwise the proxies the new
     * limits forbid close. @return proxies closed, or -1 when the session ended
     */
    int reloaded(String revoked) {
        if (closed) {
            return 0;
        }
        if (revoked != null) {
            close(revoked);
            return -1;
        }
        return ports.withdrawForbidden(peer);
    }

    /** The proxies the session has open (on its loop). */
    int proxyCount() {
        return ports.size();
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
        List<ChannelFuture> closing = ports.closeAll(reason);
        // Closing a held connection removes it from the queue (its close listener): iterate over a copy.
        List<Held> waiting = new ArrayList<>(held);
        held.clear();
        waiting.forEach(h -> {
            h.timeout.cancel(false);
            h.abort.run();
        });
        rt.registry.unregister(this);
        if (account != null) {
            account.sessionClosed();
        }
        if (peer != null) {
            peer.dismiss(ClientPeer.Dismissal.SESSION_OVER, reason);
            peer = null;
        }
        rt.events.on(new LifecycleEvent.SessionClosed(runId, reason, n));
        return closing;
    }
}
