package io.jfrp.client;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.mux.MuxSession;
import io.jfrp.core.net.NettyTransport;
import io.jfrp.core.resilience.ReconnectPolicy;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.FrameDecoder;
import io.jfrp.protocol.FrameEncoder;
import io.jfrp.protocol.Message;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client's state machine: one place that connects, logs in, notices a lost channel and tries
 * again with backoff. All its state is touched on one event loop. It logs each state change once;
 * a run of failed attempts logs its first failure and then a summary, not a line per attempt.
 */
final class ControlLoop {

    private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);
    private static final long SUMMARY_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ClientConfig config;
    private final NettyTransport transport;
    private final SslContext ssl;
    private final String runId;
    private final EventLoop loop;
    private final ReconnectPolicy policy;
    private final ProxyTable proxies;
    private final LocalDialer dialer;
    private final CompletableFuture<String> terminated = new CompletableFuture<>();

    private volatile ClientState state = ClientState.CONNECTING;
    private volatile Instant since = Instant.now();
    private volatile long rttNanos = -1;
    private volatile String lastError = "";
    private volatile int reconnects;
    private Channel channel;
    private ScheduledFuture<?> retry;
    private boolean everLoggedIn;
    private long downSinceNanos;
    private int failuresSinceReport;
    private long lastReportNanos;
    private String certificateReported;

    ControlLoop(ClientConfig config, NettyTransport transport, SslContext ssl, String runId) {
        this.config = config;
        this.transport = transport;
        this.ssl = ssl;
        this.runId = runId;
        this.loop = transport.group().next();
        this.policy = new ReconnectPolicy(config.reconnect());
        this.proxies = new ProxyTable(config.proxies());
        Map<String, ProxyConfig> byName = new LinkedHashMap<>();
        config.proxies().forEach(p -> byName.put(p.name(), p));
        this.dialer = new LocalDialer(transport, byName, config.user(), proxies);
    }

    void start() {
        log.info("jfrpc {} (runId {}) connecting to {}:{} with {} {}", JfrpClient.VERSION, runId, config.serverAddr(),
                config.serverPort(), config.proxies().size(), config.proxies().size() == 1 ? "proxy" : "proxies");
        loop.execute(this::connect);
    }

    private void connect() {
        if (state == ClientState.STOPPED) {
            return;
        }
        int dialTimeout = (int) Math.min(Integer.MAX_VALUE, config.dialServerTimeout().toMillis());
        // The control channel closes on the server's FIN; only stream sockets keep half-closed directions open.
        // The control channel shares the loop's thread: its callbacks run in order, with no hop.
        transport.bootstrap(loop, dialTimeout)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, false)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            String sni = config.tls().serverName().isEmpty() ? config.serverAddr() : config.tls().serverName();
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), sni, config.serverPort()));
                        }
                        ch.pipeline().addLast("decoder", new FrameDecoder());
                        ch.pipeline().addLast("heartbeat-timeout",
                                new IdleStateHandler(config.heartbeatTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("encoder", FrameEncoder.INSTANCE);
                        ch.pipeline().addLast("mux", new MuxSession(false, dialer));
                        ch.pipeline().addLast("control", new ControlHandler(ControlLoop.this, config, runId));
                    }
                })
                .connect(config.serverAddr(), config.serverPort())
                .addListener((ChannelFutureListener) f -> onLoop(() -> {
                    if (f.isSuccess()) {
                        if (state == ClientState.STOPPED) {
                            f.channel().close();
                        } else {
                            channel = f.channel();
                        }
                    } else {
                        attemptFailed("cannot connect to " + config.serverAddr() + ":" + config.serverPort() + ": "
                                + f.cause().getMessage(), false);
                    }
                }));
    }

    private void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    void loggedIn(Channel ch) {
        onLoop(() -> {
            if (state == ClientState.STOPPED) {
                ch.close();
                return;
            }
            channel = ch;
            policy.reset();
            proxies.pendingAll();
            String back = downSinceNanos != 0
                    ? String.format(" after %.1fs down", (System.nanoTime() - downSinceNanos) / 1e9) : "";
            if (failuresSinceReport > 1) {
                back += " and " + failuresSinceReport + " failed attempts";
            }
            if (everLoggedIn) {
                reconnects++;
            }
            everLoggedIn = true;
            downSinceNanos = 0;
            failuresSinceReport = 0;
            lastError = "";
            transition(ClientState.CONNECTED, "logged in to " + ch.remoteAddress() + back);
        });
    }

    void serverCertificateSeen(String fingerprint) {
        onLoop(() -> {
            if (!fingerprint.equals(certificateReported)) {
                certificateReported = fingerprint;
                if (config.tls().serverFingerprint().isEmpty() && config.tls().trustedCaFile() == null) {
                    log.info("server certificate SHA-256 {} accepted without verification; pin it with "
                            + "transport.tls.serverFingerprint", fingerprint);
                } else {
                    log.info("server certificate SHA-256 {} verified", fingerprint);
                }
            }
        });
    }

    void proxyResult(Message.NewProxyResult r) {
        if (r.code() == ErrorCode.OK) {
            proxies.running(r.name(), r.remotePort());
            ProxyConfig p = config.proxies().stream().filter(x -> x.name().equals(r.name())).findFirst().orElse(null);
            log.info("proxy {}: running, server port {} -> {}:{}{}", r.name(), r.remotePort(),
                    p == null ? "?" : p.localIP(), p == null ? 0 : p.localPort(),
                    p != null && p.remotePort() == 0 ? " (port chosen by the server)" : "");
        } else {
            proxies.refused(r.name(), r.error());
            log.error("proxy {}: refused by the server: {}", r.name(), r.error());
        }
    }

    void rtt(long nanos) {
        rttNanos = nanos;
    }

    void channelClosed(Channel ch, boolean wasLoggedIn, boolean authRefused, String reason) {
        onLoop(() -> {
            if (ch == channel) {
                channel = null;
            }
            if (state == ClientState.STOPPED) {
                return;
            }
            if (wasLoggedIn) {
                downSinceNanos = System.nanoTime();
                lastError = reason;
                proxies.pendingAll();
                transition(ClientState.RECONNECTING, "connection to the server lost: " + reason);
                scheduleRetry(policy.nextDelay());
            } else {
                attemptFailed(reason, authRefused);
            }
        });
    }

    private void attemptFailed(String reason, boolean authRefused) {
        if (state == ClientState.STOPPED) {
            return;
        }
        lastError = reason;
        if (!everLoggedIn && config.loginFailExit()) {
            log.error("login to {}:{} failed: {}; exiting (loginFailExit = true)", config.serverAddr(),
                    config.serverPort(), reason);
            stopWith("login failed: " + reason);
            return;
        }
        if (downSinceNanos == 0) {
            downSinceNanos = System.nanoTime();
        }
        failuresSinceReport++;
        long now = System.nanoTime();
        if (failuresSinceReport == 1) {
            lastReportNanos = now;
            log.warn("{}{}", reason, authRefused ? "; check auth.token on both sides (retrying slowly)" : "; retrying");
        } else if (now - lastReportNanos > SUMMARY_EVERY_NANOS) {
            lastReportNanos = now;
            log.warn("still no session after {} attempts over {}s; last error: {}", failuresSinceReport,
                    (now - downSinceNanos) / 1_000_000_000L, reason);
        }
        ClientState next = everLoggedIn ? ClientState.RECONNECTING : ClientState.CONNECTING;
        if (state != next) {
            transition(next, reason);
        }
        // A refused token will not fix itself in milliseconds: wait the longest interval.
        scheduleRetry(authRefused ? config.reconnect().maxInterval() : policy.nextDelay());
    }

    private void scheduleRetry(Duration delay) {
        retry = loop.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void transition(ClientState next, String cause) {
        ClientState prev = state;
        state = next;
        since = Instant.now();
        if (next == ClientState.CONNECTED) {
            log.info("{} -> {}: {}", prev, next, cause);
        } else {
            log.warn("{} -> {}: {}", prev, next, cause);
        }
    }

    CompletableFuture<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            if (state != ClientState.STOPPED) {
                transition(ClientState.STOPPED, "stopped");
            }
            if (retry != null) {
                retry.cancel(false);
            }
            if (channel != null) {
                channel.writeAndFlush(new Message.GoAway(ErrorCode.SHUTTING_DOWN, "client stopping"))
                        .addListener(ChannelFutureListener.CLOSE)
                        .addListener(f -> done.complete(null));
            } else {
                done.complete(null);
            }
            terminated.complete("stopped");
        });
        return done;
    }

    private void stopWith(String reason) {
        state = ClientState.STOPPED;
        if (retry != null) {
            retry.cancel(false);
        }
        terminated.completeExceptionally(new IllegalStateException(reason));
    }

    CompletableFuture<String> terminated() {
        return terminated;
    }

    ClientStatus status() {
        long rtt = rttNanos;
        return new ClientStatus(state, since, config.serverAddr() + ":" + config.serverPort(),
                rtt < 0 ? -1 : rtt / 1000, reconnects, lastError, proxies.snapshot());
    }
}
