package io.jfrp.client;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.net.NettyTransport;
import io.jfrp.core.tls.Fingerprints;
import io.jfrp.core.tls.TlsContexts;
import io.jfrp.core.transport.ClientTransport;
import io.jfrp.core.transport.OutboundProxy;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.FrameDecoder;
import io.jfrp.protocol.FrameEncoder;
import io.jfrp.protocol.LoginProof;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What `jfrpc doctor` checks, in the order a tunnel depends on them: the server's name, its port,
 * TLS and the certificate, the login with this config's token, then each proxy's local service. Each
 * check says what it found and, when it failed, what to do. The login uses a throwaway runId, so a
 * running client with the same config is not disturbed.
 */
public final class Diagnosis {

    /** One finding: what was checked, whether it passed, what was seen, and a hint when it failed. */
    public record Check(String name, boolean ok, String detail, String hint) {
    }

    private Diagnosis() {
    }

    public static List<Check> run(ClientConfig c, Duration timeout) {
        List<Check> out = new ArrayList<>();
        String server = c.serverAddr() + ":" + c.serverPort();
        OutboundProxy proxy = c.channels().get(0).proxy();
        if (proxy != null) {
            // Through a proxy the server's name and port are the proxy's to reach: the login shows whether it does.
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(proxy.host(), proxy.port()), (int) timeout.toMillis());
                out.add(new Check("proxy", true, proxy + " accepts TCP connections", ""));
            } catch (IOException e) {
                out.add(new Check("proxy", false, proxy + ": " + e.getMessage(),
                        "check transport.proxyURL (or the http_proxy environment variable it defaults to)"));
                return out;
            }
            out.addAll(login(c, timeout));
            out.addAll(localServices(c, timeout));
            return out;
        }
        InetAddress addr;
        try {
            addr = InetAddress.getByName(c.serverAddr());
            out.add(new Check("server name", true, c.serverAddr() + " is " + addr.getHostAddress(), ""));
        } catch (IOException e) {
            out.add(new Check("server name", false, c.serverAddr() + " does not resolve: " + e.getMessage(),
                    "check serverAddr and this host's DNS"));
            return out;
        }
        // QUIC's and KCP's ports are UDP: only their handshake or the login can tell whether one answers.
        String protocol = c.channels().get(0).protocol();
        if (!protocol.equals("quic") && !protocol.equals("kcp")) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(addr, c.serverPort()), (int) timeout.toMillis());
                out.add(new Check("server port", true, server + " accepts TCP connections", ""));
            } catch (IOException e) {
                out.add(new Check("server port", false, server + ": " + e.getMessage(),
                        "is jfrps running there with bindPort " + c.serverPort() + "? a firewall between?"));
                return out;
            }
        }
        out.addAll(login(c, timeout));
        out.addAll(localServices(c, timeout));
        return out;
    }

    private static List<Check> localServices(ClientConfig c, Duration timeout) {
        List<Check> out = new ArrayList<>();
        for (ProxyConfig p : c.proxies()) {
            if (p.plugin() != null && p.plugin().type().equals("unix_domain_socket")) {
                boolean there = java.nio.file.Files.exists(java.nio.file.Path.of(p.plugin().unixPath()));
                out.add(new Check("proxy " + p.name(), there, "unix socket " + p.plugin().unixPath()
                        + (there ? " exists" : " does not exist"), "start the service, or fix plugin.unixPath"));
                continue;
            }
            String local = p.plugin() != null ? p.plugin().localAddr() : p.localIP() + ":" + p.localPort();
            try (Socket s = new Socket()) {
                int colon = local.lastIndexOf(':');
                s.connect(new InetSocketAddress(local.substring(0, colon).replace("[", "").replace("]", ""),
                        Integer.parseInt(local.substring(colon + 1))), (int) timeout.toMillis());
                out.add(new Check("proxy " + p.name(), true, "local service " + local + " accepts connections", ""));
            } catch (IOException e) {
                out.add(new Check("proxy " + p.name(), false, "local service " + local + ": " + e.getMessage(),
                        "start the service, or fix localIP/localPort; users of this proxy are refused meanwhile"));
            }
        }
        return out;
    }

    private static List<Check> login(ClientConfig c, Duration timeout) {
        List<Check> out = new ArrayList<>();
        CompletableFuture<String> tls = new CompletableFuture<>();
        CompletableFuture<Check> result = new CompletableFuture<>();
        String runId = "doctor-" + RunIdStore.newRunId();
        String server = c.serverAddr() + ":" + c.serverPort();
        SslContext ssl;
        try {
            ssl = c.tls().enable() ? TlsContexts.client(c.tls(), c.knownServersFile()) : null;
        } catch (IOException e) {
            out.add(new Check("tls", false, "cannot set up TLS: " + e.getMessage(), "check transport.tls.*"));
            return out;
        }
        try (NettyTransport transport = NettyTransport.create("jfrpc-doctor", 1)) {
            ClientTransport carrier = ClientTransport.of(c.channels().get(0).protocol());
            CompletableFuture<Check> carried = new CompletableFuture<>();
            carrier.dial(transport, transport.group().next(),
                    c.channels().get(0).route((int) timeout.toMillis(), ssl, c.tls().serverName()),
                    p -> {
                        p.addLast(new FrameDecoder(), FrameEncoder.INSTANCE, new Probe(c, runId, tls, result));
                    }).addListener(f -> {
                        if (f.isSuccess()) {
                            carried.complete(new Check("transport", true, carrier.protocol() + " to " + server
                                    + (carrier.protocol().equals("kcp") ? ": socket ready (UDP; the login shows whether a jfrps answers)"
                                    : " works"), ""));
                        } else {
                            carried.complete(new Check("transport", false, carrier.protocol() + ": " + f.cause().getMessage(),
                                    "does the server take transport.protocol = \"" + carrier.protocol() + "\" on that port?"));
                            result.complete(null);
                        }
                    });
            Check login;
            try {
                login = result.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
                Check t = carried.getNow(null);
                if (t != null && (!t.ok() || !carrier.protocol().equals("tcp"))) {
                    out.add(t);
                }
                if (login == null) {
                    return out;
                }
            } catch (Exception e) {
                login = new Check("login", false, "no answer from the server within " + timeout.toMillis() * 2 + " ms",
                        "is " + c.serverAddr() + ":" + c.serverPort() + " a jfrps (and not another service)?");
            }
            if (ssl == null) {
                out.add(new Check("tls", true, "off (transport.tls.enable = false)", ""));
            } else if (tls.isDone() && !tls.isCompletedExceptionally()) {
                String fp = tls.join();
                boolean pinned = !c.tls().serverFingerprint().isEmpty();
                out.add(new Check("tls", true, "server certificate SHA-256 " + fp + (pinned ? " (matches the pin)" : ""),
                        ""));
            } else {
                String why = tls.isDone() ? tls.handle((v, e) -> e.getMessage()).join() : "no TLS handshake";
                out.add(new Check("tls", false, why, c.tls().serverFingerprint().isEmpty()
                        ? "does the server speak TLS? (transport.tls.enable)"
                        : "the server's certificate is not the pinned one: compare transport.tls.serverFingerprint "
                        + "with the fingerprint jfrps logs at start"));
            }
            out.add(login);
        } finally {
            // After the transport closed: no handshake is left to use it.
            TlsContexts.release(ssl);
        }
        return out;
    }

    /** Speaks just enough of the protocol to learn whether this config's token is accepted. */
    private static final class Probe extends ChannelInboundHandlerAdapter {
        private final ClientConfig c;
        private final String runId;
        private final CompletableFuture<String> tls;
        private final CompletableFuture<Check> result;

        Probe(ClientConfig c, String runId, CompletableFuture<String> tls, CompletableFuture<Check> result) {
            this.c = c;
            this.runId = runId;
            this.tls = tls;
            this.result = result;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.write(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR));
            ctx.writeAndFlush(new Message.Hello(JfrpClient.VERSION, 0));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (e.isSuccess()) {
                    try {
                        tls.complete(Fingerprints.sha256(ctx.pipeline().get(SslHandler.class).engine().getSession()
                                .getPeerCertificates()[0]));
                    } catch (IOException ex) {
                        tls.complete("(no certificate)");
                    }
                } else {
                    Throwable r = e.cause();
                    while (r.getCause() != null) {
                        r = r.getCause();
                    }
                    tls.completeExceptionally(new IOException("TLS handshake failed: " + r.getMessage()));
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Message.Challenge ch) {
                long now = System.currentTimeMillis();
                ctx.writeAndFlush(new Message.Login(runId, c.user(), now, LoginProof.compute(c.authToken(), ch.nonce(),
                        now, runId), "doctor", (int) c.heartbeatInterval().toMillis()));
            } else if (msg instanceof Message.LoginOk) {
                result.complete(new Check("login", true, "the server accepts this config's auth.token", ""));
                ctx.writeAndFlush(new Message.GoAway(ErrorCode.SHUTTING_DOWN, "doctor done"))
                        .addListener(ChannelFutureListener.CLOSE);
            } else if (msg instanceof Message.LoginFail f) {
                result.complete(new Check("login", false, "refused: " + f.reason(), f.code() == ErrorCode.CLOCK_SKEW
                        ? "the clocks of this host and the server's differ by minutes: run NTP on both"
                        : "auth.token must be the same in frpc.toml and frps.toml"));
                ctx.close();
            } else if (msg instanceof Message.GoAway g) {
                result.complete(new Check("login", false, "the server closed: " + g.reason(), ""));
                ctx.close();
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.complete(new Check("login", false, "the server closed the connection during login",
                    "is the port a jfrps? does it require TLS (transport.tls.force) while this config has it off?"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
