package io.jfrp.client;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ClientTls;
import io.jfrp.core.lifecycle.LifecycleListener;
import io.jfrp.core.net.NettyTransport;
import io.jfrp.core.tls.TlsContexts;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Many clients in one process. A {@link JfrpClient} alone has event loops of its own (one per core) and
 * its own TLS context; the clients of a fleet share one set of loops and one context per TLS setting, so
 * ten thousand of them fit in one JVM: a load generator (bench/run's storm), or a host that tunnels for
 * many tenants. Each client is otherwise whole: its own session, backoff, heartbeats and proxies.
 */
public final class ClientFleet implements AutoCloseable {

    private final NettyTransport transport;
    private final Map<TlsKey, SslContext> contexts = new HashMap<>();
    private final List<JfrpClient> clients = new ArrayList<>();
    private boolean closed;

    private record TlsKey(ClientTls tls, Path knownServers) {
    }

    /** @param threads event loops for every client of the fleet; 0 for one per core */
    public ClientFleet(int threads) {
        this.transport = NettyTransport.create("jfrpc-fleet", threads);
    }

    public synchronized JfrpClient start(ClientConfig config, LifecycleListener listener) throws IOException {
        if (closed) {
            throw new IllegalStateException("the fleet is closed");
        }
        SslContext ssl = null;
        if (config.tls().enable()) {
            TlsKey key = new TlsKey(config.tls(), config.knownServersFile());
            ssl = contexts.get(key);
            if (ssl == null) {
                ssl = TlsContexts.client(config.tls(), config.knownServersFile());
                contexts.put(key, ssl);
            }
        }
        JfrpClient c = JfrpClient.start(Objects.requireNonNull(config), listener, transport, ssl);
        clients.add(c);
        return c;
    }

    public synchronized List<JfrpClient> clients() {
        return List.copyOf(clients);
    }

    /** Closes every client, then the loops, then the TLS contexts. */
    @Override
    public void close() {
        List<JfrpClient> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(clients);
        }
        for (JfrpClient c : all) {
            c.close();
        }
        transport.close();
        contexts.values().forEach(TlsContexts::release);
    }
}
