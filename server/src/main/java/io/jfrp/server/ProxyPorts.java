package io.jfrp.server;

import io.jfrp.core.config.ProxyType;
import io.jfrp.core.lifecycle.LifecycleEvent;
import io.jfrp.core.log.PeerText;
import io.jfrp.protocol.Message;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

import java.net.BindException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The public ports of one client session: opening them as proxies ask (checking names, allowPorts and
 * maxPortsPerClient), keeping them while the session waits for its client, and closing them. Answers go
 * to the {@link ClientPeer} that asked; what happens is reported as {@link LifecycleEvent}s. Runs on the
 * session's event loop.
 */
final class ProxyPorts {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProxyPorts.class);
    private static final int RANDOM_PORT_TRIES = 32;

    private final ServerRuntime rt;
    private final ClientSession session;
    private final Map<String, ProxyListener> open = new LinkedHashMap<>();
    private final Set<String> binding = new HashSet<>();
    /** Proxies routed by name (http, https, tcpmux), which bind no port of their own. */
    private final RoutedProxies routed;
    /** TCP proxies in a load-balancing group: the group, and the port it shares ({@link TcpGroups}). */
    private final Map<String, GroupedPort> grouped = new LinkedHashMap<>();

    private record GroupedPort(String group, int port) {
    }

    /** frp's bandwidthLimitMode = "server": the limits of this session's proxies. */
    final SessionRates rates = new SessionRates();

    /** Proxies kept over a reconnect that the returning client has not asked for again (yet). */
    private final Set<String> unconfirmed = new HashSet<>();

    ProxyPorts(ServerRuntime rt, ClientSession session) {
        this.rt = rt;
        this.session = session;
        this.routed = new RoutedProxies(rt, session, this);
    }

    int size() {
        return open.size() + routed.size() + grouped.size();
    }

    List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        open.values().forEach(l -> ports.add(l.port()));
        grouped.values().forEach(g -> ports.add(g.port()));
        return ports;
    }

    String qualified(String name) {
        return session.user.isEmpty() ? name : session.user + "." + name;
    }

    /**
     * The client's connection was closed (its process died, or something on the way reset it): its
     * ports refuse users, as frp's do, but stay this session's until it returns or the grace ends.
     */
    void pauseAll() {
        open.values().forEach(ProxyListener::pause);
    }

    /** The client is back: paused ports listen again; one taken meanwhile is closed, and says so. */
    void resumeAll() {
        for (ProxyListener l : new ArrayList<>(open.values())) {
            if (l.paused()) {
                l.resume(rt, session).addListener((ChannelFutureListener) f -> session.onLoop(() -> {
                    if (!f.isSuccess() && open.get(l.name) == l) {
                        close(l.name, "port " + l.port() + " could not be had back: " + f.cause().getMessage());
                    }
                }));
            }
        }
    }

    /** A client came back: what it does not register again within the deadline is closed. */
    void expectConfirmation() {
        unconfirmed.clear();
        unconfirmed.addAll(open.keySet());
        unconfirmed.addAll(routed.names());
        unconfirmed.addAll(grouped.keySet());
    }

    void closeUnconfirmed() {
        for (String name : new ArrayList<>(unconfirmed)) {
            close(name, "the returning client did not register it again");
        }
        unconfirmed.clear();
    }

    void open(ClientPeer client, ProxyRequest req) {
        String name = qualified(req.name());
        if (req.option(Message.NewProxy.CHECK_ONLY).equals("1")) {
            checkOnly(client, req, name);
            return;
        }
        unconfirmed.remove(name);
        rates.set(name, req.option(Message.NewProxy.BANDWIDTH_LIMIT));
        if (req.type().routedByName()) {
            routed.open(client, req, name);
            return;
        }
        if (req.type() != ProxyType.TCP && req.type() != ProxyType.UDP) {
            refuse(client, req, ProxyRefusal.TYPE_NOT_SERVED, "proxy type " + req.type() + " is not supported by this server");
            return;
        }
        String group = req.option(Message.NewProxy.GROUP);
        if (!group.isEmpty() && req.type() != ProxyType.TCP) {
            refuse(client, req, ProxyRefusal.INTERNAL, req.type() + " proxies cannot be in a load-balancing group");
            return;
        }
        GroupedPort member = grouped.get(name);
        if (member != null) {
            if (member.group().equals(group) && (req.remotePort() == 0 || req.remotePort() == member.port())) {
                client.proxyOpened(req.name(), member.port());
                return;
            }
            close(name, "the client asks for " + (group.isEmpty() ? "port " + req.remotePort() : "group " + group) + " now");
        }
        ProxyListener existing = open.get(name);
        if (existing != null) {
            if (existing.type == req.type() && (req.remotePort() == 0 || req.remotePort() == existing.port())) {
                // The same client again, after a reconnect: its port was kept for it.
                client.proxyOpened(req.name(), existing.port());
                return;
            }
            close(name, "the client asks for " + req.type() + " port " + req.remotePort() + " now");
        }
        if (binding.contains(name)) {
            refuse(client, req, ProxyRefusal.NAME_IN_USE, "proxy name " + name + " is already being registered by this client");
            return;
        }
        ClientSession owner = rt.registry.claimName(name, session);
        if (owner != null) {
            refuseTakenName(client, req, name, owner);
            return;
        }
        int port = req.remotePort();
        if (port != 0 && !allowPorts().allows(port)) {
            rt.registry.releaseName(name, session);
            refuse(client, req, ProxyRefusal.PORT_NOT_ALLOWED, "port " + port + " is not allowed on this server "
                    + "(allowPorts" + (session.account != null ? " of user " + session.user : "") + ": " + allowPorts() + ")");
            return;
        }
        UserAccounts.Account account = session.account;
        int max = rt.config.maxPortsPerClient();
        if (account == null && max > 0 && open.size() + grouped.size() + binding.size() >= max) {
            rt.registry.releaseName(name, session);
            refuse(client, req, ProxyRefusal.TOO_MANY_PORTS, "this client already has " + max + " ports (maxPortsPerClient)");
            return;
        }
        // A user's ports count across all its sessions: a second runId is no way around its limit.
        if (account != null && !account.reservePort()) {
            rt.registry.releaseName(name, session);
            refuse(client, req, ProxyRefusal.TOO_MANY_PORTS, "user " + session.user + " already has "
                    + account.user.maxPorts() + " ports open (maxPorts of the user, over all its clients)");
            return;
        }
        binding.add(name);
        if (!group.isEmpty()) {
            int bindPort = port == 0 && !allowPorts().isAll() ? randomAllowedPort() : port;
            rt.tcpGroups.join(group, req.option(Message.NewProxy.GROUP_KEY), port, bindPort, session, name,
                    (shared, why) -> joined(client, req, name, group, shared, why));
            return;
        }
        bind(client, req, name, port, 0);
    }

    /** A TCP proxy's answer from its load-balancing group, on the session's loop: the port it shares, or why not. */
    private void joined(ClientPeer client, ProxyRequest req, String name, String group, int port, String why) {
        boolean asked = binding.remove(name);
        if (why == null && (!asked || session.isClosed())) {
            rt.tcpGroups.leave(group, session, name); // closed while it joined
            if (asked) {
                portReleased();
            }
            return;
        }
        if (why != null) {
            if (asked) {
                portReleased();
                rt.registry.releaseName(name, session);
                refuse(client, req, ProxyRefusal.PORT_IN_USE, why);
            } else {
                rt.tcpGroups.leave(group, session, name);
            }
            return;
        }
        grouped.put(name, new GroupedPort(group, port));
        rt.events.on(new LifecycleEvent.ProxyOpened(session.runId, name, req.type(), port, req.annotations()));
        client.proxyOpened(req.name(), port);
    }

    /**
     * A server reload narrowed allowPorts or a port limit: the proxies now beyond them close, and the
     * client hears why as a refusal. It asks again with its backoff, so a later reload that allows them
     * brings them back. The newest go first when there are too many. {@code client} is null while the
     * session waits for its client: it hears on its return.
     * @return how many closed
     */
    int withdrawForbidden(ClientPeer client) {
        int n = 0;
        io.jfrp.core.config.PortRanges allow = allowPorts();
        for (ProxyListener l : new ArrayList<>(open.values())) {
            if (!allow.allows(l.port())) {
                withdraw(client, l, ProxyRefusal.PORT_NOT_ALLOWED, "port " + l.port() + " is no longer allowed on this "
                        + "server after its reload (allowPorts" + (session.account != null ? " of user " + session.user : "")
                        + ": " + allow + ")");
                n++;
            }
        }
        int max = session.account == null ? rt.config.maxPortsPerClient() : session.account.user.maxPorts();
        while (max > 0 && !open.isEmpty() && (session.account == null ? open.size() : session.account.ports()) > max) {
            ProxyListener newest = null;
            for (ProxyListener l : open.values()) {
                newest = l;
            }
            withdraw(client, newest, ProxyRefusal.TOO_MANY_PORTS, "this " + (session.account == null
                    ? "client may have " + max + " ports (maxPortsPerClient)"
                    : "user may have " + max + " ports (maxPorts)") + " since the server's reload");
            n++;
        }
        return n;
    }

    private void withdraw(ClientPeer client, ProxyListener l, ProxyRefusal why, String reason) {
        close(l.name, reason);
        rt.events.on(new LifecycleEvent.ProxyRefused(session.runId, l.name, reason));
        if (client != null) {
            String asked = !session.user.isEmpty() && l.name.startsWith(session.user + ".")
                    ? l.name.substring(session.user.length() + 1) : l.name;
            client.proxyRefused(asked, why, reason);
        }
    }

    /**
     * jfrp's doctor asks whether a proxy would be taken, and nothing is opened or claimed: its name (free,
     * or this session's), its port (allowed here, and free on this host now, by binding and closing it at
     * once). The answer is a result like a registration's.
     */
    private void checkOnly(ClientPeer client, ProxyRequest req, String name) {
        ClientSession owner = rt.registry.nameOwner(name);
        if (owner != null && owner != session) {
            client.proxyRefused(req.name(), ProxyRefusal.NAME_IN_USE, "proxy name " + name
                    + " is in use by another client (a running jfrpc of this config?)");
            return;
        }
        int port = req.remotePort();
        if (req.type().routedByName() || port == 0) {
            client.proxyOpened(req.name(), 0);
            return;
        }
        if (!allowPorts().allows(port)) {
            client.proxyRefused(req.name(), ProxyRefusal.PORT_NOT_ALLOWED, "port " + port + " is not allowed on this server "
                    + "(allowPorts" + (session.account != null ? " of user " + session.user : "") + ": " + allowPorts() + ")");
            return;
        }
        java.net.InetSocketAddress at = new java.net.InetSocketAddress(rt.config.proxyBindAddr(), port);
        // A bind is a system call, not a wait: the loop is held for microseconds.
        try (java.io.Closeable probe = req.type() == ProxyType.UDP ? new java.net.DatagramSocket(at) : bound(at)) {
            client.proxyOpened(req.name(), port);
        } catch (java.io.IOException e) {
            client.proxyRefused(req.name(), ProxyRefusal.PORT_IN_USE, "port " + port + " is in use on the server's host ("
                    + e.getMessage() + ")");
        }
    }

    private static java.net.ServerSocket bound(java.net.InetSocketAddress at) throws java.io.IOException {
        java.net.ServerSocket s = new java.net.ServerSocket();
        try {
            s.bind(at);
            return s;
        } catch (java.io.IOException e) {
            s.close();
            throw e;
        }
    }

    /** The ports this session may ask for: its user's allowPorts, else the server's. */
    private io.jfrp.core.config.PortRanges allowPorts() {
        return session.account != null ? session.account.allowPorts(rt.config) : rt.config.allowPorts();
    }

    /** A port counted against the session's user is free again. */
    private void portReleased() {
        if (session.account != null) {
            session.account.portReleased();
        }
    }

    private void bind(ClientPeer client, ProxyRequest req, String name, int requested, int attempt) {
        int port = requested == 0 && !allowPorts().isAll() ? randomAllowedPort() : requested;
        ProxyListener.bind(rt, session, name, req.type(), rt.config.proxyBindAddr(), port).addListener((ChannelFutureListener) f ->
                session.onLoop(() -> bound(client, req, name, requested, port, attempt, f)));
    }

    private void bound(ClientPeer client, ProxyRequest req, String name, int requested, int tried, int attempt,
                       ChannelFuture f) {
        if (f.isSuccess() && (!binding.contains(name) || session.isClosed())) {
            f.channel().close();
            if (binding.remove(name)) {
                portReleased();
            }
            return;
        }
        if (f.isSuccess()) {
            binding.remove(name);
            ProxyListener listener = ProxyListener.of(name, req.type(), rt.config.proxyBindAddr(), f.channel());
            open.put(name, listener);
            rt.events.on(new LifecycleEvent.ProxyOpened(session.runId, name, req.type(), listener.port(),
                    req.annotations()));
            if (requested != 0 && rt.ephemeral.contains(requested)) {
                log.warn("proxy {} of client {}: port {} is in this host's range for outgoing connections ({}-{}); "
                        + "one may take it while the client is away: choose a port outside it", PeerText.escape(name),
                        session.runId, requested, rt.ephemeral.from(), rt.ephemeral.to());
            }
            client.proxyOpened(req.name(), listener.port());
            return;
        }
        if (requested == 0 && !allowPorts().isAll() && attempt < RANDOM_PORT_TRIES) {
            bind(client, req, name, 0, attempt + 1);
            return;
        }
        if (binding.remove(name)) {
            portReleased();
        }
        rt.registry.releaseName(name, session);
        Throwable cause = f.cause();
        if (cause instanceof BindException || (cause != null && String.valueOf(cause.getMessage()).contains("in use"))) {
            refuse(client, req, ProxyRefusal.PORT_IN_USE, requested == 0
                    ? "no free port in allowPorts " + allowPorts() + " after " + RANDOM_PORT_TRIES + " tries"
                    : "port " + tried + " is already in use on " + rt.config.proxyBindAddr());
        } else {
            refuse(client, req, ProxyRefusal.INTERNAL, "cannot listen on " + rt.config.proxyBindAddr() + ":" + tried + ": " + cause);
        }
    }

    private int randomAllowedPort() {
        List<int[]> ranges = allowPorts().ranges();
        int[] r = ranges.get(ThreadLocalRandom.current().nextInt(ranges.size()));
        return r[0] + ThreadLocalRandom.current().nextInt(r[1] - r[0] + 1);
    }

    /** Another client's runId and address are its own business: the server's log names them, the answer not. */
    void refuseTakenName(ClientPeer client, ProxyRequest req, String name, ClientSession owner) {
        String suffix = rt.peerProblems.admit("name-taken " + session.runId);
        if (suffix != null) {
            log.info("proxy {} of client {}: the name is held by client {} from {}{}", PeerText.escape(name),
                    session.runId, owner.runId, owner.peer(), suffix);
        }
        refuse(client, req, ProxyRefusal.NAME_IN_USE, "proxy name " + name + " is already in use by another client");
    }

    void refuse(ClientPeer client, ProxyRequest req, ProxyRefusal why, String reason) {
        rt.events.on(new LifecycleEvent.ProxyRefused(session.runId, qualified(req.name()), reason));
        client.proxyRefused(req.name(), why, reason);
    }

    void close(String name, String why) {
        rates.remove(name);
        if (routed.close(name, why)) {
            return;
        }
        GroupedPort member = grouped.remove(name);
        if (member != null) {
            rt.tcpGroups.leave(member.group(), session, name);
            portReleased();
            rt.registry.releaseName(name, session);
            rt.events.on(new LifecycleEvent.ProxyClosed(session.runId, name, member.port(), why));
            return;
        }
        ProxyListener l = open.remove(name);
        if (l != null) {
            l.close();
            portReleased();
            rt.registry.releaseName(name, session);
            rt.events.on(new LifecycleEvent.ProxyClosed(session.runId, name, l.port(), why));
        }
    }

    /** @return the close futures, so a caller can wait until the ports are free */
    List<ChannelFuture> closeAll(String why) {
        rates.clear();
        List<ChannelFuture> closing = new ArrayList<>();
        for (ProxyListener l : open.values()) {
            ChannelFuture f = l.close();
            if (f != null) {
                closing.add(f);
            }
            portReleased();
            rt.registry.releaseName(l.name, session);
            rt.events.on(new LifecycleEvent.ProxyClosed(session.runId, l.name, l.port(), why));
        }
        open.clear();
        routed.closeAll(why);
        for (Map.Entry<String, GroupedPort> e : grouped.entrySet()) {
            rt.tcpGroups.leave(e.getValue().group(), session, e.getKey());
            portReleased();
            rt.registry.releaseName(e.getKey(), session);
            rt.events.on(new LifecycleEvent.ProxyClosed(session.runId, e.getKey(), e.getValue().port(), why));
        }
        grouped.clear();
        binding.forEach(b -> portReleased());
        binding.clear();
        unconfirmed.clear();
        return closing;
    }
}
