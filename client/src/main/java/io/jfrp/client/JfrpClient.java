package io.jfrp.client;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.net.NettyTransport;
import io.jfrp.core.tls.TlsContexts;
import io.netty.handler.ssl.SslContext;

import javax.net.ssl.SSLException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** jfrpc as a library: {@code JfrpClient.start(config)} runs the control loop until {@link #close()}. */
public final class JfrpClient implements AutoCloseable {

    public static final String VERSION = JfrpClient.class.getPackage().getImplementationVersion() == null
            ? "0.1.0" : JfrpClient.class.getPackage().getImplementationVersion();

    private final NettyTransport transport;
    private final ControlLoop loop;

    private JfrpClient(NettyTransport transport, ControlLoop loop) {
        this.transport = transport;
        this.loop = loop;
    }

    public static JfrpClient start(ClientConfig config) throws SSLException {
        SslContext ssl = config.tls().enable() ? TlsContexts.client(config.tls()) : null;
        NettyTransport transport = NettyTransport.create("jfrpc", 0);
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        ControlLoop loop = new ControlLoop(config, transport, ssl, HexFormat.of().formatHex(id));
        loop.start();
        return new JfrpClient(transport, loop);
    }

    public ClientStatus status() {
        return loop.status();
    }

    /** Completes when the client stops; exceptionally when it gave up (loginFailExit). */
    public CompletableFuture<String> terminated() {
        return loop.terminated();
    }

    @Override
    public void close() {
        try {
            loop.stop().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        transport.close();
    }
}
