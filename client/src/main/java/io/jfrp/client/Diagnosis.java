package io.jfrp.client;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.doctor.Check;
import io.jfrp.core.log.PeerText;
import io.jfrp.core.net.NettyTransport;
import io.jfrp.core.tls.Fingerprints;
import io.jfrp.core.tls.TlsContexts;
import io.jfrp.core.transport.ClientTransport;
import io.jfrp.core.transport.OutboundProxy;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.FrameDecoder;
import io.jfrp.protocol.FrameEncoder;
import io.jfrp.protocol.Wire;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What `jfrpc doctor` checks, in the order a tunnel depends on them: the server's name, its port, what
 * answers there, TLS and the certificate, the protocol version, the login with this config's token, the
 * clocks, each proxy's local service, each remote port (asked of the server), the descriptors this
 * process may open, and the route. Each check passes, warns or fails, says what it found and, when it
 * did not pass, what to do. Every step is bounded by the timeout.
 */
public final class Diagnosis {

    /** A certificate that ends within this is a warning (the alert rules' low tier says the same). */
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);
    /** The login's replay window (LoginHandler): a skew beyond it fails every login. */
    static final long SKEW_LIMIT_MILLIS = 5 * 60_000;

    private Diagnosis() {
    }

    public static List<Check> run(ClientConfig c, Duration timeout) {
        List<Check> out = new ArrayList<>();
        OutboundProxy proxy = c.channels().get(0).proxy();
        String protocol = c.channels().get(0).protocol();
        InetAddress addr = null;
        if (proxy != null) {
            // Through a proxy the server's name and port are the proxy's to reach: the login shows whether it does.
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(proxy.host(), proxy.port()), (int) timeout.toMillis());
                out.add(Check.pass("proxy", proxy + " accepts TCP connections"));
            } catch (IOException e) {
                out.add(Check.fail("proxy", proxy + ": " + e.getMessage(),
                        "check transport.proxyURL (or the http_proxy environment variable it defaults to)"));
                return out;
            }
        } else {
            ServerAnswer.Resolved name = ServerAnswer.dns(c.serverAddr(), timeout);
            out.add(name.check());
            if (name.address() == null) {
                return out;
            }
            addr = name.address();
            // QUIC's and KCP's ports are UDP: only their handshake or the login can tell whether one answers.
            if (!protocol.equals("quic") && !protocol.equals("kcp")) {
                Check reach = ServerAnswer.reach(addr, c.serverPort(), timeout);
                out.add(reach);
                if (!reach.ok()) {
                    out.add(ServerAnswer.route(addr, c.serverPort()));
                    return out;
                }
                if (protocol.equals("tcp")) {
                    ServerAnswer.Answer who = ServerAnswer.whoAnswers(addr, c.serverPort(), timeout);
                    out.add(who.check());
                    if (who.kind() != ServerAnswer.Kind.JFRPS) {
                        // Not a jfrps: what TLS or a login would say next is only a consequence.
                        out.add(ServerAnswer.route(addr, c.serverPort()));
                        return out;
                    }
                }
            }
        }
        List<Check> remote = new ArrayList<>();
        boolean loggedIn = login(c, timeout, out, remote);
        out.addAll(LocalChecks.services(c, timeout));
        if (loggedIn) {
            out.addAll(remote);
        } else {
            out.add(Check.warn("remote ports", "not checked: the login did not succeed", "fix the login first"));
        }
        out.add(LocalChecks.descriptors(c));
        if (addr != null) {
            out.add(ServerAnswer.route(addr, c.serverPort()));
        }
        out.addAll(otherChannels(c, timeout));
        return out;
    }

    /**
     * The channels after the first ([[channels]]): each reaches a jfrps or not, over its own transport,
     * TLS and proxy (the fail-back's probe: HELLO until the server's challenge, no login).
     */
    private static List<Check> otherChannels(ClientConfig c, Duration timeout) {
        List<Check> out = new ArrayList<>();
        if (c.channels().size() < 2) {
            return out;
        }
        SslContext ssl;
        try {
            ssl = c.tls().enable() ? TlsContexts.client(c.tls(), c.knownServersFile()) : null;
        } catch (IOException e) {
            return out; // the tls check above already failed with the reason
        }
        try (NettyTransport transport = NettyTransport.create("jfrpc-doctor", 1)) {
            for (io.jfrp.core.config.ChannelConfig ch : c.channels().subList(1, c.channels().size())) {
                long start = System.nanoTime();
                io.netty.util.concurrent.Future<Long> f = ChannelProbe.probe(transport, transport.group().next(), ch, ssl,
                        c.tls().serverName(), (int) timeout.toMillis());
                // The probe answers -1 for no jfrps (refused, silent, closed, not a jfrps), else the round trip.
                boolean done = f.awaitUninterruptibly(timeout.toMillis() * 2);
                if (done && f.isSuccess() && f.getNow() >= 0) {
                    out.add(Check.pass("channel " + ch.name(), ch.describe() + ": a jfrps answers ("
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms)"));
                } else {
                    String why = !done || f.isSuccess() ? "no jfrps answered within " + timeout.toMillis() + " ms"
                            : String.valueOf(f.cause().getMessage());
                    out.add(Check.fail("channel " + ch.name(), ch.describe() + ": " + PeerText.escape(String.valueOf(why)),
                            "the session cannot fail over to it: check its address, port and transport on the server"));
                }
            }
        } finally {
            TlsContexts.release(ssl);
        }
        return out;
    }

    /** TLS, protocol, login, clock and remote ports, from one login of the doctor's. @return whether it logged in */
    private static boolean login(ClientConfig c, Duration timeout, List<Check> out, List<Check> remote) {
        SslContext ssl;
        try {
            ssl = c.tls().enable() ? TlsContexts.client(c.tls(), c.knownServersFile()) : null;
        } catch (IOException e) {
            out.add(Check.fail("tls", "cannot set up TLS: " + e.getMessage(), "check transport.tls.*"));
            return false;
        }
        String server = c.serverAddr() + ":" + c.serverPort();
        LoginProbe probe = new LoginProbe(c, "doctor-" + RunIdStore.newRunId());
        try (NettyTransport transport = NettyTransport.create("jfrpc-doctor", 1)) {
            ClientTransport carrier = ClientTransport.of(c.channels().get(0).protocol());
            CompletableFuture<Check> carried = new CompletableFuture<>();
            carrier.dial(transport, transport.group().next(),
                    c.channels().get(0).route((int) timeout.toMillis(), ssl, c.tls().serverName()),
                    p -> p.addLast(new FrameDecoder(), FrameEncoder.INSTANCE, probe)).addListener(f -> {
                        if (f.isSuccess()) {
                            carried.complete(Check.pass("transport", carrier.protocol() + " to " + server
                                    + (carrier.protocol().equals("kcp") ? ": socket ready (UDP; the login shows whether a jfrps answers)"
                                    : " works")));
                        } else {
                            carried.complete(Check.fail("transport", carrier.protocol() + ": " + f.cause().getMessage(),
                                    "does the server take transport.protocol = \"" + carrier.protocol() + "\" on that port?"));
                            probe.done.complete(null);
                        }
                    });
            boolean finished;
            try {
                probe.done.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
                finished = true;
            } catch (Exception e) {
                finished = false;
            }
            Check t = carried.getNow(null);
            if (t != null && (!t.ok() || !carrier.protocol().equals("tcp"))) {
                out.add(t);
            }
            if (t != null && !t.ok()) {
                return false;
            }
            out.add(tls(c, ssl, probe));
            if (probe.tlsFailure != null && ssl != null) {
                return false;
            }
            Check version = version(probe);
            if (version != null) {
                out.add(version);
                if (!version.ok()) {
                    return false;
                }
            }
            if (probe.loginRefusal == null) {
                out.add(Check.fail("login", finished ? "the server closed the connection during login"
                                : "no answer from the server within " + timeout.toMillis() * 2 + " ms",
                        "is " + server + " a jfrps? does it require TLS (transport.tls.force) while this config has it off?"));
                return false;
            }
            if (!probe.loginRefusal.isEmpty()) {
                out.add(Check.fail("login", "refused: " + PeerText.escape(probe.loginRefusal), probe.loginCode == ErrorCode.CLOCK_SKEW
                        ? "the clocks of this host and the server's differ by minutes: run NTP on both"
                        : "auth.token (and user) must match the server's auth.token or one of its [[users]]"));
                out.add(clock(probe));
                return false;
            }
            out.add(Check.pass("login", "the server accepts this config's " + (c.user().isEmpty() ? "auth.token"
                    : "user " + c.user() + " and its token")));
            out.add(clock(probe));
            for (ProxyConfig p : c.proxies()) {
                String why = probe.proxies.get(p.name());
                String what = p.type().routedByName() ? "name" : p.remotePort() == 0 ? "name (the server picks the port)"
                        : p.type().configName() + " port " + p.remotePort();
                if (why == null) {
                    remote.add(Check.warn("remote " + p.name(), "the server did not answer about it",
                            "a jfrps before 0.1 cannot be asked; the client's log says at registration"));
                } else if (why.isEmpty()) {
                    remote.add(Check.pass("remote " + p.name(), what + " would be taken on the server"));
                } else {
                    remote.add(Check.fail("remote " + p.name(), PeerText.escape(why),
                            "choose another remotePort (or proxy name), or change allowPorts on the server"));
                }
            }
            return true;
        } finally {
            // After the transport closed: no handshake is left to use it.
            TlsContexts.release(ssl);
        }
    }

    private static Check tls(ClientConfig c, SslContext ssl, LoginProbe probe) {
        if (ssl == null) {
            return Check.warn("tls", "off (transport.tls.enable = false): the token's proof and all traffic cross "
                    + "the network in the clear", "turn transport.tls.enable on unless the link is private");
        }
        if (probe.tlsFailure != null) {
            return Check.fail("tls", probe.tlsFailure, c.tls().serverFingerprint().isEmpty()
                    ? (c.tls().trustedCaFile() != null ? "the server's certificate is not signed by transport.tls.trustedCaFile"
                    : "the server answered as a jfrps above: check its certificate and transport.tls.* here")
                    : "the server's certificate is not the pinned one: compare transport.tls.serverFingerprint "
                    + "with the fingerprint jfrps logs at start");
        }
        if (probe.certificate == null) {
            return Check.fail("tls", "no TLS handshake completed", "is the port a jfrps?");
        }
        String fp = Fingerprints.sha256(probe.certificate);
        String detail = "server certificate SHA-256 " + fp;
        if (probe.certificate instanceof X509Certificate x) {
            Instant until = x.getNotAfter().toInstant();
            Duration left = Duration.between(Instant.now(), until);
            detail += ", valid until " + until;
            if (left.isNegative()) {
                return Check.fail("tls", detail + ": expired", "renew the server's certificate (transport.tls.certFile)");
            }
            if (left.compareTo(EXPIRY_WARNING) < 0) {
                return Check.warn("tls", detail + ": " + left.toDays() + " days left", "renew the server's certificate");
            }
        }
        boolean pinned = !c.tls().serverFingerprint().isEmpty();
        if (pinned) {
            return Check.pass("tls", detail + " (matches the pin)");
        }
        if (c.tls().trustedCaFile() != null) {
            return Check.pass("tls", detail + " (signed by the trusted CA)");
        }
        if (c.tls().trustOnFirstUse()) {
            return Check.pass("tls", detail + " (trust on first use: known_servers)");
        }
        return Check.warn("tls", detail + ", accepted without verification",
                "pin it: transport.tls.serverFingerprint = \"" + fp + "\" (or trustOnFirstUse = true)");
    }

    private static Check version(LoginProbe probe) {
        if (probe.preface == null) {
            return null;
        }
        if (probe.preface.major() != Wire.VERSION_MAJOR) {
            return Check.fail("protocol", "the server speaks jfrp protocol " + probe.preface.major() + "."
                    + probe.preface.minor() + ", this client " + Wire.VERSION_MAJOR + "." + Wire.VERSION_MINOR,
                    Wire.upgradeAdvice(probe.preface.major(), Wire.VERSION_MAJOR));
        }
        if (probe.challenge == null) {
            return Check.pass("protocol", "jfrp protocol " + probe.preface.major() + "." + probe.preface.minor());
        }
        String server = "jfrps " + PeerText.escape(probe.challenge.softwareVersion()) + ", protocol "
                + probe.preface.major() + "." + probe.preface.minor();
        int lacking = Wire.FEATURES & ~probe.challenge.features();
        if (lacking != 0) {
            return Check.warn("protocol", server + ": it lacks " + Wire.featureNames(lacking) + "; this client does without",
                    "upgrade jfrps to " + JfrpClient.VERSION + " for them");
        }
        return Check.pass("protocol", server + " (this client: " + JfrpClient.VERSION + ")");
    }

    private static Check clock(LoginProbe probe) {
        if (probe.challenge == null || probe.challenge.serverTimeMillis() == 0) {
            return Check.pass("clock", "not measured (this server does not send its clock); a login fails beyond "
                    + SKEW_LIMIT_MILLIS / 60_000 + " min of skew");
        }
        long skew = probe.challenge.serverTimeMillis() - probe.challengeMidpointMillis;
        String said = "the server's clock is " + Math.abs(skew) + " ms " + (skew >= 0 ? "ahead of" : "behind") + " this host's";
        if (Math.abs(skew) >= SKEW_LIMIT_MILLIS) {
            return Check.fail("clock", said, "logins fail beyond " + SKEW_LIMIT_MILLIS / 60_000 + " min: run NTP on both hosts");
        }
        if (Math.abs(skew) >= 60_000) {
            return Check.warn("clock", said, "logins fail beyond " + SKEW_LIMIT_MILLIS / 60_000 + " min: run NTP on both hosts");
        }
        return Check.pass("clock", said);
    }
}
