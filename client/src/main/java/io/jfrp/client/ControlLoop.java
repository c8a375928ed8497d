package io.jfrp.client;

import io.jfrp.client.plugin.Plugins;
import io.jfrp.core.config.ChannelConfig;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.lifecycle.LifecycleEvent;
import io.jfrp.core.lifecycle.LifecycleListener;
import io.jfrp.core.mux.MemoryBudget;
import io.jfrp.core.mux.MuxSession;
import io.jfrp.core.net.NettyTransport;
import io.jfrp.core.transport.ClientTransport;
import io.jfrp.core.transport.PeerAddress;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.Message;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives one client: connects, logs in, registers proxies, and when the channel ends, waits as the
 * {@link ControlStateMachine} says and tries again. Everything runs on one event loop, which the
 * control channel shares, so events arrive in order with no locking.
 */
final class ControlLoop {

    private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);

    /** The config; a reload replaces its timings (heartbeats, dial timeout, backoff): see {@link #timings}. */
    private volatile ClientConfig config;
    private final NettyTransport transport;
    private final SslContext ssl;
    private final String runId;
    private final EventLoop loop;
    private final ControlStateMachine machine;
    private final ProxyTable proxies;
    /** The client's streams, for as long as it runs; each control channel carries them while it lasts. */
    private final MuxSession mux;
    private final CompletableFuture<String> terminated = new CompletableFuture<>();
    private final ProxyRegistration registration;
    /** The proxies' health checks, which decide when a proxy with one is registered and withdrawn. */
    private final ServiceChecks checks;
    /** The proxies of the config, replaced by a reload (the rest of the config is fixed for the loop's life). */
    private final ProxySet proxySet;
    private final String hostname = HostName.read();
    /** Where this client reports its session, proxies and streams (the embedder's listener; logs are its own). */
    private final LifecycleListener events;

    private volatile ClientStatus snapshot;
    private volatile long rttNanos = -1;
    private Channel channel;
    private ScheduledFuture<?> retry;
    /** The config's channels, best first, and which one the session is on. */
    private final ChannelChoice choice;
    /** Probes of better channels while the session runs on a worse one. */
    private final FailBack failBack;
    /** What the client last saw of each channel, for status. */
    private final ChannelHealth health;
    /** The move back to a better channel, made before the channel the session is on is broken. */
    private final ChannelHandover handover;
    /** A move between channels, logged once it is done. */
    private final SwitchLog switches = new SwitchLog();
    private boolean everLoggedIn;
    private final ServerNotices notices;

    ControlLoop(ClientConfig config, NettyTransport transport, SslContext ssl, String runId, LifecycleListener events,
                Plugins plugins) {
        this.config = config;
        this.events = events;
        this.proxySet = new ProxySet(config.proxies());
        this.transport = transport;
        this.ssl = ssl;
        this.runId = runId;
        this.loop = transport.group().next();
        this.choice = new ChannelChoice(config.channels(), config.failBackAfter().toNanos(), System::nanoTime);
        this.machine = new ControlStateMachine(config.reconnect(), System::nanoTime, Math::random, new MachineLog(log),
                "Run `jfrpc doctor -c " + config.source() + "` for a diagnosis.");
        this.health = new ChannelHealth(config.channels());
        this.failBack = new FailBack(config, transport, ssl, loop, choice, health,
                () -> channel != null && machine.state() == ClientState.CONNECTED, this::moveBack);
        this.proxies = new ProxyTable(config.proxies());
        this.checks = new ServiceChecks(transport, loop, new ServiceCheck.Verdicts() {
            @Override
            public void passes(ProxyConfig proxy) {
                registration.servicePasses(proxy, loggedIn());
                publish();
            }

            @Override
            public void fails(ProxyConfig proxy, String why, boolean wasPassing) {
                registration.serviceFails(proxy, why, wasPassing, loggedIn());
                publish();
            }
        });
        this.registration = new ProxyRegistration(runId, proxySet, proxies, events, loop, () -> channel,
                checks::inService);
        // What the streams may hold for local services that do not take their bytes: see MemoryBudget.
        this.mux = new MuxSession(loop, false, MemoryBudget.forThisJvm(),
                new LocalDialer(transport, proxySet, config.user(), proxies, runId, events, plugins));
        mux.limitBy(new ProxyRates(proxySet, config.user())::of);
        this.handover = new ChannelHandover(loop, mux, health, ChannelHandover.DRAIN_LIMIT);
        this.notices = new ServerNotices(config);
        publish();
    }

    String runId() {
        return runId;
    }

    /** The session's secret, and where it is kept between runs. */
    private final SessionSecret secret = new SessionSecret();

    void keepSessionSecret(byte[] kept, SessionSecret.Keeper keeper) {
        secret.keptBy(kept, keeper);
    }

    /** For {@code auto}: which transport reached the server last, kept between runs. */
    private final AutoTransport autoTransport = new AutoTransport();

    /**
     * With {@code transport.protocol = "auto"}: starts with {@code kept}, the transport that last carried a
     * session to this server (null: the documented order), and keeps each one that carries one.
     */
    void rememberTransport(String kept, AutoTransport.Keeper keeper) {
        if (!config.protocol().equals("auto")) {
            return;
        }
        autoTransport.keptBy(keeper);
        onLoop(() -> {
            if (AutoTransport.startWith(kept, choice, config.serverAddr() + ":" + config.serverPort())) {
                publish();
            }
        });
    }

    /** What this client must prove to resume its session; null before the server handed one out. */
    byte[] sessionSecret() {
        return secret.get();
    }

    /** The server handed out (or confirmed) the session's secret. */
    void sessionSecret(byte[] next) {
        secret.update(next);
    }

    /** The proxy of that name in the current config (a reload may have changed it), or null. */
    ProxyConfig proxy(String name) {
        return proxySet.get(name);
    }

    java.util.Collection<ProxyConfig> proxyConfigs() {
        return proxySet.all();
    }

    /** This host's name, for the server's log: read once, not at every login on the event loop. */
    String hostname() {
        return hostname;
    }

    void start() {
        log.info("jfrpc {} (runId {}) connecting to {}:{} with {} {}{}", JfrpClient.VERSION, runId, config.serverAddr(),
                config.serverPort(), proxySet.size(), proxySet.size() == 1 ? "proxy" : "proxies",
                choice.size() == 1 ? "" : " over channel " + choice.current().describe() + " (" + choice.size()
                        + " channels, best first)");
        loop.execute(() -> checks.sync(proxySet.all()));
        loop.execute(this::connect);
    }

    /** Whether the session is logged in on {@link #channel}, so proxies are asked for and closed there now. */
    private boolean loggedIn() {
        return channel != null && machine.state() == ClientState.CONNECTED;
    }

    private void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    private void connect() {
        if (machine.state() == ClientState.STOPPED) {
            return;
        }
        ChannelConfig via = choice.current();
        dial(via, false).addListener(f -> onLoop(() -> {
            if (!f.isSuccess()) {
                attemptFailed(cannotConnect(via, f.cause()), false);
            } else if (machine.state() == ClientState.STOPPED) {
                ((Channel) f.getNow()).close();
            } else {
                channel = (Channel) f.getNow();
            }
        }));
    }

    /** Dials channel {@code via}; with {@code joins} its login asks to join the session beside the current channel. */
    private io.netty.util.concurrent.Future<?> dial(ChannelConfig via, boolean joins) {
        int dialTimeout = (int) Math.min(Integer.MAX_VALUE, config.dialServerTimeout().toMillis());
        // The control channel shares the loop's thread: its callbacks run in order, with no hop.
        return ClientTransport.of(via.protocol()).dial(transport, loop, via.route(dialTimeout, ssl, config.tls().serverName()),
                p -> ControlPipeline.install(p, this, config, mux, runId, joins));
    }

    private String cannotConnect(ChannelConfig via, Throwable cause) {
        return "cannot connect to " + via.serverAddr() + ":" + via.serverPort()
                + (via.proxy() == null ? "" : " through " + via.proxy())
                + (choice.size() == 1 ? "" : " (channel " + via.name() + ")") + ": " + cause.getMessage();
    }

    /** Called by the handler on login: the proxies to register, with ports the server chose before. */
    Map<ProxyConfig, Integer> loggedIn(Channel ch, boolean resumed) {
        if (handover.isJoining(ch)) {
            Channel old = channel;
            int from = handover.fromIndex();
            handover.ended();
            if (old != null) {
                // The session is on the new channel now: the old one carries what it has until that ends.
                handover.retire(old, from == choice.index() ? -1 : from, choice.get(from).describe());
            }
        }
        channel = ch;
        everLoggedIn = true;
        choice.loggedIn();
        health.active(choice.index());
        autoTransport.carried(choice.current().protocol());
        switches.done(choice.current().describe());
        if (choice.index() > 0) {
            failBack.start();
        }
        proxies.pendingAll();
        if (machine.state() != ClientState.CONNECTED) {
            machine.connected(String.valueOf(PeerAddress.of(ch)), runId); // not at a move made before a break
        }
        publish();
        String server = String.valueOf(PeerAddress.of(ch));
        events.on(resumed ? new LifecycleEvent.SessionResumed(runId, server, config.serverAddr(), null,
                proxySet.size(), 0) : new LifecycleEvent.SessionEstablished(runId, server, config.serverAddr(), config.user()));
        return registration.portsToAsk();
    }

    /** What the client says of the server it reached, once each (certificate, features it lacks). */
    ServerNotices notices() {
        return notices;
    }

    /**
     * The server's answer to a proxy registration.
     * @return true when a port the server chose earlier is gone and the proxy should ask for any port
     */
    boolean proxyResult(Message.NewProxyResult r) {
        boolean askAny = registration.onResult(r);
        publish();
        return askAny;
    }

    /** frp's reload of the proxies (see {@link ProxyRegistration#reload}). */
    CompletableFuture<ProxySet.Diff> reload(List<ProxyConfig> next) {
        CompletableFuture<ProxySet.Diff> done = new CompletableFuture<>();
        onLoop(() -> {
            checks.sync(next);
            ProxySet.Diff d = registration.reload(next);
            publish();
            done.complete(d);
        });
        return done;
    }

    /** Each heartbeat's round trip of the session's channel, for the metrics' histogram; none by default. */
    private volatile java.util.function.LongConsumer rttObserver = n -> { };

    void observeRtt(java.util.function.LongConsumer observer) {
        rttObserver = observer;
    }

    /** A heartbeat came back on {@code ch}: the session's round trip when that is the session's channel. */
    void rtt(Channel ch, long nanos) {
        if (ch == channel) {
            rttObserver.accept(nanos);
            rttNanos = nanos;
            publish();
        }
    }

    /**
     * @param slow the cause will not mend at once (a refused token, a duplicate client): retry at the slowest pace
     * @param lastHeardNanos when the server was last heard from, for a channel that went silent; else MAX_VALUE
     */
    void channelClosed(Channel ch, boolean wasLoggedIn, boolean slow, String reason, long lastHeardNanos) {
        controlChannels.remove(ch);
        if (handover.retiredClosed(ch, reason)) {
            publish();
            return;
        }
        if (handover.isJoining(ch) && channel != null) {
            joinFailed(reason);
            return;
        }
        if (ch != channel && !handover.isJoining(ch)) {
            return; // a channel the session had already left
        }
        boolean joinWasUnderWay = handover.isJoining(ch);
        if (ch == channel) {
            channel = null;
            registration.channelGone();
        }
        failBack.stop();
        if (machine.state() == ClientState.STOPPED) {
            return;
        }
        if (joinWasUnderWay) {
            // The channel the move began from is gone too: the move's failure is the attempt's.
            handover.ended();
            attemptFailed(reason, slow);
            return;
        }
        if (wasLoggedIn) {
            proxies.pendingAll();
            int on = handover.underWay() ? handover.fromIndex() : choice.index();
            health.failed(on, reason);
            Duration delay = machine.channelLost(reason, slow, lastHeardNanos);
            if (handover.underWay()) {
                // The move's dial is the next attempt: on the better channel, already under way.
                scheduleRetry(null);
            } else {
                if (!slow) {
                    delay = failOver(delay, reason);
                }
                scheduleRetry(delay);
            }
            publish();
            events.on(new LifecycleEvent.SessionLost(runId, String.valueOf(PeerAddress.of(ch)), reason,
                    proxySet.size(), delay, false));
        } else {
            attemptFailed(reason, slow);
        }
    }

    private void attemptFailed(String reason, boolean authRefused) {
        if (machine.state() == ClientState.STOPPED) {
            return;
        }
        if (!everLoggedIn && config.loginFailExit()) {
            log.error("login to {}:{} failed: {}; exiting (loginFailExit = true)", config.serverAddr(),
                    config.serverPort(), reason);
            machine.stopped();
            publish();
            terminated.completeExceptionally(new IllegalStateException("login failed: " + reason));
            return;
        }
        health.failed(choice.index(), reason);
        Duration delay = machine.attemptFailed(reason, authRefused);
        scheduleRetry(authRefused ? delay : failOver(delay, reason));
        publish();
    }

    /** The current channel failed: the next one at once while this round has one, else {@code backoff}. */
    private Duration failOver(Duration backoff, String reason) {
        String from = choice.current().describe();
        if (choice.size() > 1 && everLoggedIn && !switches.underWay()) {
            switches.begins(from, "channel " + from + " failed: " + reason);
        }
        if (choice.failed()) {
            // The failure itself was logged by the state machine; the switch is logged once it is done.
            log.debug("channel {} failed; trying channel {} now", from, choice.current().describe());
            return FAIL_OVER_DELAY;
        }
        return backoff;
    }

    /**
     * Moves the session to the better channel {@link FailBack} chose (now current) without breaking it:
     * that channel is dialled and joins the session, and the one it leaves keeps its streams until they end.
     * @param from the channel the session leaves
     * @param fromIndex its index
     */
    private void moveBack(String from, int fromIndex) {
        move(from, fromIndex, "fail-back after channel " + choice.current().describe() + " answered every probe for "
                + config.failBackAfter().toSeconds() + " s");
    }

    /**
     * A reload's heartbeat, dial and backoff settings. The backoff and the dial timeout apply from the next
     * attempt; new heartbeats need a new login (the server sizes its timeout from them), so a session on a
     * channel moves to a new connection of that channel that has them, made before the old one breaks:
     * no stream is cut and no port is let go. @return what was done, for the reload's answer
     */
    CompletableFuture<String> timings(ClientConfig next) {
        CompletableFuture<String> done = new CompletableFuture<>();
        onLoop(() -> {
            ClientConfig was = config;
            List<String> said = new java.util.ArrayList<>();
            if (!was.reconnect().equals(next.reconnect())) {
                machine.reconnect(next.reconnect(), Math::random);
                said.add("transport.reconnect");
            }
            if (!was.dialServerTimeout().equals(next.dialServerTimeout())) {
                said.add("transport.dialServerTimeout");
            }
            boolean heartbeats = !was.heartbeatInterval().equals(next.heartbeatInterval())
                    || !was.heartbeatTimeout().equals(next.heartbeatTimeout());
            config = was.withTimings(next);
            if (heartbeats) {
                if (channel != null && machine.state() == ClientState.CONNECTED && !handover.underWay()) {
                    said.add("heartbeats (the session moves to a new connection that has them; the old one keeps its streams)");
                    move(choice.current().describe(), choice.index(), "new heartbeat settings");
                } else {
                    said.add("heartbeats (from the next login)");
                }
            }
            done.complete(String.join(", ", said));
        });
        return done;
    }

    /** The session moves to a new connection of {@link ChannelChoice#current()}, made before {@code from} breaks. */
    private void move(String from, int fromIndex, String why) {
        switches.begins(from, why);
        handover.begin(fromIndex);
        ChannelConfig via = choice.current();
        dial(via, true).addListener(f -> onLoop(() -> {
            if (!f.isSuccess()) {
                if (channel != null) {
                    joinFailed(cannotConnect(via, f.cause()));
                } else if (handover.underWay()) {
                    handover.ended();
                    attemptFailed(cannotConnect(via, f.cause()), false);
                }
            } else if (machine.state() == ClientState.STOPPED || !handover.underWay()) {
                ((Channel) f.getNow()).close();
            } else {
                handover.dialled((Channel) f.getNow());
            }
        }));
    }

    /** The better channel did not take the session: it stays where it is, and probing starts again. */
    private void joinFailed(String reason) {
        int better = choice.index();
        health.failed(better, reason);
        choice.moveTo(handover.fromIndex());
        handover.ended();
        switches.dropped();
        log.info("channel {} did not take the session ({}); it stays on channel {}", choice.get(better).describe(),
                reason, choice.current().describe());
        failBack.start();
        publish();
    }

    /** The pause before the next channel is tried, long enough that a failure that repeats at once does not spin. */
    private static final Duration FAIL_OVER_DELAY = Duration.ofMillis(100);

    /** @param delay null: no retry, an attempt is under way already */
    private void scheduleRetry(Duration delay) {
        if (delay != null) {
            retry = loop.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    CompletableFuture<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onLoop(() -> {
            machine.stopped();
            publish();
            if (retry != null) {
                retry.cancel(false);
            }
            failBack.stop();
            handover.stop();
            checks.stopAll();
            events.on(new LifecycleEvent.SessionClosed(runId, "client stopping", proxySet.size()));
            // Every control channel is closed before the loops go, a dial in flight too: a channel the
            // loops close as they end never gives back its TLS engine (the pipeline is never taken down).
            List<io.netty.util.concurrent.Future<?>> closing = new java.util.ArrayList<>();
            for (Channel ch : List.copyOf(controlChannels)) {
                closing.add(ch == channel
                        ? ch.writeAndFlush(new Message.GoAway(ErrorCode.SHUTTING_DOWN, "client stopping"))
                                .addListener(ChannelFutureListener.CLOSE).channel().closeFuture()
                        : ch.close());
            }
            int[] left = {closing.size()};
            if (left[0] == 0) {
                done.complete(null);
            }
            closing.forEach(f -> f.addListener(x -> {
                if (--left[0] == 0) {
                    done.complete(null);
                }
            }));
            terminated.complete("stopped");
        });
        return done;
    }

    /** Control channels not closed yet, logged in or not (dials in flight, a join, a retired one): closed at stop. */
    private final java.util.Set<Channel> controlChannels = new java.util.HashSet<>();

    /** A control channel's handlers joined its pipeline (on this loop). */
    void opened(Channel ch) {
        onLoop(() -> {
            if (ch.isOpen()) {
                controlChannels.add(ch);
            }
            if (machine.state() == ClientState.STOPPED) {
                ch.close();
            }
        });
    }

    CompletableFuture<String> terminated() {
        return terminated;
    }

    /** The loop's last published state, with each proxy's state as of now (the table is thread-safe). */
    ClientStatus status() {
        ClientStatus s = snapshot;
        return new ClientStatus(s.state(), s.since(), s.server(), s.rttMicros(), s.reconnects(),
                s.consecutiveFailures(), s.lastError(), s.runId(), proxies.snapshot(), s.channel(), s.channels(),
                s.lastErrorAt(), s.circuitOpens());
    }

    /** Status is read from other threads (admin API, tests): publish an immutable snapshot on each change. */
    private void publish() {
        long rtt = rttNanos;
        long ageNanos = System.nanoTime() - machine.sinceNanos();
        snapshot = new ClientStatus(machine.state(), Instant.now().minusNanos(ageNanos),
                choice.current().serverAddr() + ":" + choice.current().serverPort(), rtt < 0 ? -1 : rtt / 1000,
                machine.reconnects(), machine.consecutiveFailures(), machine.lastError(), runId, List.of(),
                choice.current().name(), health.snapshot(rtt), machine.lastErrorAt(), machine.circuitOpens());
    }
}
