package io.jfrp.server;

import io.jfrp.core.config.ProxyType;
import io.jfrp.core.lifecycle.LifecycleEvent;
import io.jfrp.core.lifecycle.LifecycleListener;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the server's web server shows, kept from the lifecycle events as they happen: clients online,
 * each open proxy with its connections and traffic, and the server's totals. Events arrive on many
 * session loops; readers are the web server's thread: everything here is concurrent.
 * <p>
 * Traffic is counted as frp counts it, from the users' side: "in" is what users sent (what the server's
 * streams sent on to the client), "out" is what users received.
 */
final class ServerStats implements LifecycleListener {

    /** One open proxy. */
    static final class Proxy {
        final String name;
        final ProxyType type;
        final int port;
        final String session;
        final Map<String, String> annotations;
        final Instant since = Instant.now();
        final AtomicLong connections = new AtomicLong();
        final AtomicLong trafficIn = new AtomicLong();
        final AtomicLong trafficOut = new AtomicLong();

        Proxy(String name, ProxyType type, int port, String session, Map<String, String> annotations) {
            this.annotations = annotations;
            this.name = name;
            this.type = type;
            this.port = port;
            this.session = session;
        }
    }

    /** One session: a client logged in now, or away within its grace period. */
    record Client(String runId, String user, String host, String peer, boolean online) {
    }

    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Proxy> proxies = new ConcurrentHashMap<>();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong trafficIn = new AtomicLong();
    private final AtomicLong trafficOut = new AtomicLong();

    @Override
    public void on(LifecycleEvent event) {
        if (event instanceof LifecycleEvent.SessionEstablished e) {
            clients.put(e.session(), new Client(e.session(), e.user(), e.host(), e.peer(), true));
        } else if (event instanceof LifecycleEvent.SessionResumed e) {
            clients.compute(e.session(), (k, c) -> new Client(k, c == null ? "" : c.user(), e.host(), e.peer(), true));
        } else if (event instanceof LifecycleEvent.SessionLost e) {
            clients.computeIfPresent(e.session(), (k, c) -> new Client(k, c.user(), c.host(), c.peer(), false));
        } else if (event instanceof LifecycleEvent.SessionClosed) {
            clients.remove(event.session());
        } else if (event instanceof LifecycleEvent.ProxyOpened e) {
            proxies.put(e.proxy(), new Proxy(e.proxy(), e.type(), e.port(), e.session(), e.annotations()));
        } else if (event instanceof LifecycleEvent.ProxyClosed e) {
            proxies.remove(e.proxy());
        } else if (event instanceof LifecycleEvent.StreamOpened e) {
            connections.incrementAndGet();
            Proxy p = proxies.get(e.proxy());
            if (p != null) {
                p.connections.incrementAndGet();
            }
        } else if (event instanceof LifecycleEvent.StreamClosed e) {
            connections.decrementAndGet();
            trafficIn.addAndGet(e.bytesOut());
            trafficOut.addAndGet(e.bytesIn());
            Proxy p = proxies.get(e.proxy());
            if (p != null) {
                p.connections.decrementAndGet();
                p.trafficIn.addAndGet(e.bytesOut());
                p.trafficOut.addAndGet(e.bytesIn());
            }
        }
    }

    long clientsOnline() {
        return clients.values().stream().filter(Client::online).count();
    }

    /**
     * Whether the proxy's client is logged in now. A session waiting for its client keeps its ports, but
     * to frp's tools (and by frp's own rule) a proxy whose client is gone is not running.
     */
    boolean online(Proxy p) {
        Client c = clients.get(p.session);
        return c != null && c.online();
    }

    List<Client> clients() {
        return List.copyOf(clients.values());
    }

    long connections() {
        return connections.get();
    }

    long trafficIn() {
        return trafficIn.get();
    }

    long trafficOut() {
        return trafficOut.get();
    }

    List<Proxy> proxies() {
        return List.copyOf(proxies.values());
    }
}
