package io.jfrp.client.plugin;

import io.jfrp.core.config.PluginConfig;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.net.DomainSockets;
import io.jfrp.core.net.NettyTransport;
import io.jfrp.core.tls.SelfSignedCertificate;
import io.jfrp.core.tls.TlsContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The client's plugins, one per proxy that has one, each on a unix socket in a directory of its own
 * that only this user can enter (under the NIO fallback, on a loopback port, and it says so). {@link #sync} starts and stops them to match a config (at start, and at
 * each reload); {@link #address} is what a stream of the proxy dials instead of localIP:localPort.
 */
public final class Plugins implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Plugins.class);

    private final NettyTransport io;
    private final Path dir;
    private final Map<String, Running> running = new HashMap<>();
    private SslContext serviceTls;
    private int next;

    private record Running(ProxyConfig proxy, PluginServer server, SslContext userTls) {
    }

    private Plugins(NettyTransport io, Path dir) {
        this.io = io;
        this.dir = dir;
    }

    /** Plugins on {@code io}'s loops, for the proxies of {@code proxies} that have one. */
    public static Plugins start(NettyTransport io, Collection<ProxyConfig> proxies) throws IOException {
        Path dir = Files.createTempDirectory("jfrpc-plugins-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Plugins p = new Plugins(io, dir);
        try {
            p.sync(proxies);
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /**
     * Starts the plugins of {@code proxies} not running yet (or changed), and stops those of proxies gone
     * or changed. A plugin that cannot start fails the call, naming the proxy; the others keep running.
     */
    public synchronized void sync(Collection<ProxyConfig> proxies) throws IOException {
        Map<String, ProxyConfig> wanted = new HashMap<>();
        for (ProxyConfig p : proxies) {
            if (p.plugin() != null && needsServer(p.plugin())) {
                wanted.put(p.name(), p);
            }
        }
        for (String name : new ArrayList<>(running.keySet())) {
            if (!running.get(name).proxy().equals(wanted.get(name))) {
                stop(running.remove(name));
            }
        }
        for (ProxyConfig p : wanted.values()) {
            if (!running.containsKey(p.name())) {
                running.put(p.name(), launch(p));
            }
        }
    }

    private Running launch(ProxyConfig p) throws IOException {
        PluginConfig c = p.plugin();
        SslContext userTls = null;
        try {
            if (c.endsTls()) {
                userTls = userTls(c);
            }
            PluginServer s = new PluginServer(p.name(), c, p.proxyProtocol(), io, userTls,
                    c.dialsTls() ? serviceTls() : null, DomainSockets.likeTcp(io) ? dir.resolve((next++) + ".sock") : null);
            s.start();
            if (!DomainSockets.likeTcp(io)) {
                log.warn("proxy {}: plugin {} listens on {}, where other local users can reach it: without the native "
                        + "transport (epoll, io_uring) jfrpc's unix sockets cannot end one direction alone", p.name(),
                        c.type(), s.address());
            }
            return new Running(p, s, userTls);
        } catch (IOException | RuntimeException e) {
            TlsContexts.release(userTls);
            throw new IOException("proxy " + p.name() + ": plugin " + c.type() + " cannot start: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
    }

    /** The certificate users see: the configured one, or one made for this process (as frp makes one). */
    private SslContext userTls(PluginConfig c) throws IOException {
        if (c.crtPath() != null) {
            return TlsContexts.server(c.crtPath(), c.keyPath());
        }
        Path certs = dir.resolve("certificate");
        Files.createDirectories(certs);
        SelfSignedCertificate.ensure(certs);
        return TlsContexts.server(certs.resolve(SelfSignedCertificate.CERT_FILE), certs.resolve(SelfSignedCertificate.KEY_FILE));
    }

    /** frp's *2https plugins do not verify the local service's certificate (it is often self-signed); nor does jfrp. */
    private SslContext serviceTls() throws IOException {
        if (serviceTls == null) {
            serviceTls = SslContextBuilder.forClient().sslProvider(TlsContexts.provider())
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        }
        return serviceTls;
    }

    private static void stop(Running r) {
        r.server().close();
        TlsContexts.release(r.userTls());
    }

    /**
     * Whether the plugin needs a server of its own: all but unix_domain_socket, which a stream dials
     * directly, except under NIO, whose domain sockets do not half-close (see {@link DomainSockets#likeTcp}).
     */
    private boolean needsServer(PluginConfig c) {
        return !c.type().equals("unix_domain_socket") || !DomainSockets.likeTcp(io);
    }

    /**
     * What a stream of {@code p} dials: its plugin's socket (a unix socket; a loopback port under NIO), or
     * the unix socket it names; null without a plugin.
     */
    public synchronized SocketAddress address(ProxyConfig p) {
        if (p.plugin() == null) {
            return null;
        }
        if (!needsServer(p.plugin())) {
            return DomainSockets.address(io, Path.of(p.plugin().unixPath()));
        }
        Running r = running.get(p.name());
        return r == null ? null : r.server().address();
    }

    /** Whether the plugin of {@code p} expects the stream dialer's header with the user's address first. */
    public static boolean wantsUserAddress(ProxyConfig p) {
        return p.plugin() != null && p.plugin().bridges();
    }

    @Override
    public synchronized void close() {
        running.values().forEach(Plugins::stop);
        running.clear();
        TlsContexts.release(serviceTls);
        serviceTls = null;
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = files.sorted(Comparator.reverseOrder()).toList();
            for (Path f : all) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // A temporary directory: what is left goes with the system's temporary files.
        }
    }
}
