package io.jfrp.client;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.lifecycle.LifecycleListener;
import io.jfrp.core.net.NettyTransport;
import io.jfrp.core.tls.TlsContexts;
import io.jfrp.protocol.Wire;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** jfrpc as a library: {@code JfrpClient.start(config)} runs the control loop until {@link #close()}. */
public final class JfrpClient implements AutoCloseable {

    public static final String VERSION = Wire.SOFTWARE_VERSION;

    private final NettyTransport transport;
    private final ControlLoop loop;
    private final RunIdStore store;
    private volatile AdminServer admin;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private JfrpClient(NettyTransport transport, ControlLoop loop, RunIdStore store) {
        this.transport = transport;
        this.loop = loop;
        this.store = store;
    }

    /**
     * Starts the client. With a state file (the default for a config file) the runId is the one kept
     * there; a second client on the same state file is refused.
     */
    public static JfrpClient start(ClientConfig config) throws IOException {
        return start(config, LifecycleListener.NONE);
    }

    /**
     * A client that also reports its session, proxies and streams to {@code listener}, on its event
     * loop (so it must be quick and must not block).
     */
    public static JfrpClient start(ClientConfig config, LifecycleListener listener) throws IOException {
        SslContext ssl = config.tls().enable() ? TlsContexts.client(config.tls()) : null;
        RunIdStore store = config.stateFile() == null ? null : RunIdStore.open(config.stateFile());
        String runId = store == null ? RunIdStore.newRunId() : store.runId();
        NettyTransport transport = NettyTransport.create("jfrpc", 0);
        ControlLoop loop = new ControlLoop(config, transport, ssl, runId, LifecycleListener.all(List.of(listener)));
        JfrpClient client = new JfrpClient(transport, loop, store);
        if (config.admin() != null) {
            try {
                client.admin = AdminServer.start(config.admin(), config, loop::status, client::close);
            } catch (IOException e) {
                client.close();
                throw e;
            }
        }
        loop.start();
        return client;
    }

    public ClientStatus status() {
        return loop.status();
    }

    /** The admin API's port, or -1 when webServer.port is not set. */
    public int adminPort() {
        AdminServer a = admin;
        return a == null ? -1 : a.port();
    }

    public String runId() {
        return loop.runId();
    }

    /** Completes when the client stops; exceptionally when it gave up (loginFailExit). */
    public CompletableFuture<String> terminated() {
        return loop.terminated();
    }

    @Override
    public void close() {
        // Twice is normal: POST /api/stop closes the client, then the process's shutdown hook does.
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (admin != null) {
            admin.close();
        }
        try {
            loop.stop().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        transport.close();
        if (store != null) {
            try {
                store.close();
            } catch (IOException e) {
                // the lock goes with the process anyway
            }
        }
    }
}
