package io.jfrp.client;

import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.lifecycle.LifecycleEvent;
import io.jfrp.core.lifecycle.LifecycleListener;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.Message;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The client's proxies with the server: which port to ask for (the config's, or the one the server
 * chose last time), what each answer means (running, refused and asked again later, a chosen port
 * gone), and frp's reload (close what was removed or changed, ask for what was added or changed). Runs
 * on the control loop; the answers' log lines carry frp's phrases.
 */
final class ProxyRegistration {

    private static final Logger log = LoggerFactory.getLogger(ProxyRegistration.class);

    private final String runId;
    private final ProxySet proxySet;
    private final ProxyTable table;
    private final LifecycleListener events;
    private final EventLoop loop;
    /** The control channel now, or null. */
    private final Supplier<Channel> channel;
    /** Ports the server chose for remotePort = 0 proxies, asked for again after a reconnect. */
    private final Map<String, Integer> chosenPorts = new ConcurrentHashMap<>();
    private final ProxyRetries retries = new ProxyRetries();
    /** Whether a proxy may be registered now: it has no health check, or its service passes it. */
    private final java.util.function.Predicate<String> inService;

    ProxyRegistration(String runId, ProxySet proxySet, ProxyTable table, LifecycleListener events, EventLoop loop,
                      Supplier<Channel> channel, java.util.function.Predicate<String> inService) {
        this.inService = inService;
        this.runId = runId;
        this.proxySet = proxySet;
        this.table = table;
        this.events = events;
        this.loop = loop;
        this.channel = channel;
    }

    /** After a login: every proxy in service, with the port to ask for. */
    Map<ProxyConfig, Integer> portsToAsk() {
        Map<ProxyConfig, Integer> ports = new LinkedHashMap<>();
        for (ProxyConfig p : proxySet.all()) {
            if (inService.test(p.name())) {
                ports.put(p, portFor(p));
            }
        }
        return ports;
    }

    /**
     * {@code p}'s service passed its health check after failing it (or at its first check): the proxy is
     * asked for now when the client is logged in, else at its next login. frp's phrase for scripts.
     */
    void servicePasses(ProxyConfig p, boolean loggedIn) {
        table.pending(p.name());
        log.info("[{}] health check success: local service {}:{} answers{}", p.name(), p.localIP(), p.localPort(),
                loggedIn ? "; registering the proxy" : "");
        Channel ch = channel.get();
        if (loggedIn && ch != null) {
            ch.writeAndFlush(ProxySet.request(p, portFor(p)), ch.voidPromise());
        }
    }

    /**
     * {@code p}'s service failed its health check: the proxy is withdrawn from the server (in a group, its
     * users go to the other members) until it passes again. Logged, with frp's phrase, once the server
     * has been told.
     */
    void serviceFails(ProxyConfig p, String why, boolean wasRegistered, boolean loggedIn) {
        table.checkFailed(p.name(), "health check failed: " + why);
        retries.succeeded(p.name());
        Runnable say = () -> log.warn("[{}] health check failed: local service {}:{}: {}; {}", p.name(), p.localIP(),
                p.localPort(), why, wasRegistered ? "the proxy is withdrawn from the server until the service passes again"
                        : "the proxy is registered once the service passes");
        Channel ch = channel.get();
        if (wasRegistered && loggedIn && ch != null) {
            ch.writeAndFlush(new Message.CloseProxy(p.name())).addListener(f -> say.run());
        } else {
            say.run();
        }
    }

    private int portFor(ProxyConfig p) {
        return p.remotePort() != 0 ? p.remotePort() : chosenPorts.getOrDefault(p.name(), 0);
    }

    /** The channel ended: refusals' retries belong to it. */
    void channelGone() {
        retries.clear();
    }

    /**
     * The server's answer to a registration.
     * @return true when a port the server chose earlier is gone and the proxy should ask for any port
     */
    boolean onResult(Message.NewProxyResult r) {
        ProxyConfig p = proxySet.get(r.name());
        if (p != null && !inService.test(p.name())) {
            return false; // asked for before its check failed: the CLOSE_PROXY sent since then ends it
        }
        if (r.code() == ErrorCode.OK) {
            retries.succeeded(r.name());
            table.running(r.name(), r.remotePort());
            if (p != null) {
                events.on(new LifecycleEvent.ProxyOpened(runId, r.name(), p.type(), r.remotePort()));
            }
            boolean routed = p != null && p.type().routedByName();
            if (p != null && p.remotePort() == 0 && !routed) {
                chosenPorts.put(r.name(), r.remotePort());
            }
            // frp's phrase, "[NAME] start proxy success": scripts and frp's suite wait for it.
            if (routed) {
                log.info("[{}] start proxy success: {} on the server's port {} by name -> {}:{}", r.name(), p.type(),
                        r.remotePort(), p.localIP(), p.localPort());
            } else {
                log.info("[{}] start proxy success: server port {} -> {}:{}{}", r.name(), r.remotePort(),
                        p == null ? "?" : p.localIP(), p == null ? 0 : p.localPort(),
                        p != null && p.remotePort() == 0 ? " (port chosen by the server)" : "");
            }
            return false;
        }
        if (p != null && p.remotePort() == 0 && !p.type().routedByName() && chosenPorts.remove(r.name()) != null) {
            log.info("proxy {}: the port the server chose before is not available ({}); asking for another",
                    r.name(), r.error());
            return true;
        }
        Channel on = channel.get();
        ProxyRetries.Refusal refusal = retries.refused(r.name(), r.error(), loop, () -> askAgain(r.name(), on));
        String next = " (asking again in " + refusal.next().toSeconds() + "s)";
        table.refused(r.name(), r.error() + next);
        events.on(new LifecycleEvent.ProxyRefused(runId, r.name(), r.error()));
        if (refusal.news()) {
            log.error("[{}] start error: refused by the server: {}{}", r.name(), r.error(), next);
        } else {
            log.debug("[{}] refused again ({} tries): {}", r.name(), refusal.attempt(), r.error());
        }
        return false;
    }

    /** A refused proxy's next try, on the channel that refused it (a new channel asks for every proxy anyway). */
    private void askAgain(String name, Channel on) {
        ProxyConfig p = proxySet.get(name);
        if (p == null || on == null || on != channel.get() || !on.isActive() || !inService.test(name)) {
            return;
        }
        on.writeAndFlush(ProxySet.request(p, portFor(p)), on.voidPromise());
    }

    /**
     * frp's reload: proxies removed or changed are closed on the server, added and changed ones asked
     * for; unchanged ones, and their users' connections, are not touched.
     */
    ProxySet.Diff reload(List<ProxyConfig> next) {
        ProxySet.Diff d = proxySet.replace(next);
        Channel ch = channel.get();
        List<ProxyConfig> closing = new ArrayList<>(d.removed());
        closing.addAll(d.changed());
        for (ProxyConfig p : closing) {
            chosenPorts.remove(p.name());
            retries.succeeded(p.name());
            if (ch != null) {
                ch.write(new Message.CloseProxy(p.name()), ch.voidPromise());
            }
        }
        table.sync(proxySet.all(), d.changed());
        List<ProxyConfig> asking = new ArrayList<>(d.added());
        asking.addAll(d.changed());
        asking.removeIf(p -> !inService.test(p.name()));
        if (ch != null) {
            for (ProxyConfig p : asking) {
                ch.write(ProxySet.request(p, p.remotePort()), ch.voidPromise());
            }
            ch.flush();
        }
        log.info("config reloaded: {}", d);
        return d;
    }
}
