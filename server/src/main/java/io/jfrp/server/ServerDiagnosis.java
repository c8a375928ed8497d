package io.jfrp.server;

import io.jfrp.core.config.ServerConfig;
import io.jfrp.core.config.VhostSettings;
import io.jfrp.core.doctor.Check;
import io.jfrp.core.doctor.Check.Level;
import io.jfrp.core.tls.SelfSignedCertificate;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What `jfrps doctor` checks before (or beside) a running jfrps: each port it would listen on can be
 * had (or is held by a jfrps already, which is then this config's server), its certificate (readable,
 * a pair with its key, not expired or about to), the descriptors it may open, and the web server's
 * port. Each check passes, warns or fails with advice.
 */
public final class ServerDiagnosis {

    static final Duration EXPIRY_WARNING = Duration.ofDays(14);
    /** A server with fewer descriptors than this runs out under load: each tunnelled connection costs it two. */
    static final long DESCRIPTORS_WANTED = 65536;

    private ServerDiagnosis() {
    }

    public static List<Check> run(ServerConfig c) {
        List<Check> out = new ArrayList<>();
        Map<String, int[]> tcp = new LinkedHashMap<>();
        tcp.put("bindPort", new int[]{c.bindPort()});
        if (c.vhost().vhostHTTPPort() > 0 && c.vhost().vhostHTTPPort() != c.bindPort()) {
            tcp.put("vhostHTTPPort", new int[]{c.vhost().vhostHTTPPort()});
        }
        if (c.vhost().vhostHTTPSPort() > 0 && c.vhost().vhostHTTPSPort() != c.bindPort()) {
            tcp.put("vhostHTTPSPort", new int[]{c.vhost().vhostHTTPSPort()});
        }
        if (c.vhost().tcpmuxHTTPConnectPort() > 0) {
            tcp.put("tcpmuxHTTPConnectPort", new int[]{c.vhost().tcpmuxHTTPConnectPort()});
        }
        if (c.webServer() != null && c.webServer().port() > 0) {
            tcp.put("webServer.port", new int[]{c.webServer().port()});
        }
        boolean running = false;
        for (Map.Entry<String, int[]> e : tcp.entrySet()) {
            String addr = e.getKey().equals("bindPort") ? c.bindAddr()
                    : e.getKey().equals("webServer.port") ? c.webServer().addr() : c.proxyBindAddr();
            Check port = tcpPort(e.getKey(), addr, e.getValue()[0], running);
            running |= e.getKey().equals("bindPort") && port.level() == Level.PASS && port.detail().contains("a jfrps");
            out.add(port);
        }
        for (Map.Entry<String, Integer> e : Map.of("quicBindPort", c.quicBindPort(), "kcpBindPort", c.kcpBindPort()).entrySet()) {
            if (e.getValue() > 0 && e.getValue() != VhostSettings.ANY_PORT) {
                out.add(udpPort(e.getKey(), c.bindAddr(), e.getValue(), running));
            }
        }
        out.add(certificate(c));
        out.add(descriptors());
        return out;
    }

    private static Check tcpPort(String key, String addr, int port, boolean serverRunning) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(addr, port));
            return Check.pass(key, addr + ":" + port + " can be listened on");
        } catch (IOException e) {
            if (key.equals("bindPort") && answersAsJfrps(addr, port)) {
                return Check.pass(key, addr + ":" + port + " is held by a jfrps already (running with this config?)");
            }
            if (serverRunning) {
                return Check.pass(key, addr + ":" + port + " is in use (by the running jfrps, likely)");
            }
            return Check.fail(key, addr + ":" + port + " cannot be listened on: " + e.getMessage(),
                    port < 1024 ? "ports below 1024 need root or CAP_NET_BIND_SERVICE (AmbientCapabilities in the unit)"
                            : "another process holds it: `ss -ltnp 'sport = :" + port + "'` names it");
        }
    }

    private static Check udpPort(String key, String addr, int port, boolean serverRunning) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(addr, port))) {
            return Check.pass(key, addr + ":" + port + "/udp can be had");
        } catch (IOException e) {
            return serverRunning ? Check.pass(key, addr + ":" + port + "/udp is in use (by the running jfrps, likely)")
                    : Check.fail(key, addr + ":" + port + "/udp cannot be had: " + e.getMessage(),
                    "another process holds it: `ss -lunp 'sport = :" + port + "'` names it");
        }
    }

    private static boolean answersAsJfrps(String addr, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(addr.equals("0.0.0.0") ? "127.0.0.1" : addr, port), 2000);
            s.setSoTimeout(2000);
            io.netty.buffer.ByteBuf hello = io.netty.buffer.Unpooled.buffer();
            io.jfrp.protocol.FrameEncoder.encode(new io.jfrp.protocol.Message.Preface(io.jfrp.protocol.Wire.VERSION_MAJOR,
                    io.jfrp.protocol.Wire.VERSION_MINOR), hello);
            io.jfrp.protocol.FrameEncoder.encode(new io.jfrp.protocol.Message.Hello(JfrpServer.VERSION,
                    io.jfrp.protocol.Wire.FEATURES), hello);
            byte[] bytes = new byte[hello.readableBytes()];
            hello.readBytes(bytes);
            hello.release();
            s.getOutputStream().write(bytes);
            InputStream in = s.getInputStream();
            byte[] got = in.readNBytes(4);
            return got.length == 4 && got[0] == 'J' && got[1] == 'F' && got[2] == 'R' && got[3] == 'P';
        } catch (IOException e) {
            return false;
        }
    }

    private static Check certificate(ServerConfig c) {
        Path cert = c.tls().certFile();
        Path key = c.tls().keyFile();
        boolean made = cert == null;
        if (made) {
            cert = c.dataDir().resolve(SelfSignedCertificate.CERT_FILE);
            key = c.dataDir().resolve(SelfSignedCertificate.KEY_FILE);
            if (!Files.exists(cert)) {
                return Check.pass("certificate", "none configured: a self-signed one is made in " + c.dataDir()
                        + " at the first start (clients pin its fingerprint, logged then)");
            }
        }
        String problem = io.jfrp.core.tls.TlsContexts.pairProblem(cert, key);
        if (problem != null) {
            return Check.fail("certificate", problem, "transport.tls.certFile and keyFile must be a PEM certificate and its key");
        }
        try (InputStream in = Files.newInputStream(cert)) {
            X509Certificate x = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            Instant until = x.getNotAfter().toInstant();
            Duration left = Duration.between(Instant.now(), until);
            String detail = cert + " (" + (made ? "self-signed" : x.getSubjectX500Principal().getName()) + "), SHA-256 "
                    + io.jfrp.core.tls.Fingerprints.sha256(x) + ", valid until " + until;
            if (left.isNegative()) {
                return Check.fail("certificate", detail + ": expired", "renew it: clients that verify it are refused");
            }
            if (left.compareTo(EXPIRY_WARNING) < 0) {
                return Check.warn("certificate", detail + ": " + left.toDays() + " days left", "renew it before it expires");
            }
            return Check.pass("certificate", detail);
        } catch (Exception e) {
            return Check.fail("certificate", cert + ": " + e.getMessage(), "transport.tls.certFile must be a PEM certificate");
        }
    }

    private static Check descriptors() {
        io.jfrp.core.net.Descriptors d = io.jfrp.core.net.Descriptors.now();
        if (d == null) {
            return Check.pass("descriptors", "not measured on this system");
        }
        long max = d.limit();
        String said = "this process may open " + max + " descriptors; each tunnelled connection costs jfrps two (its "
                + "user's and its share of a client's channel)";
        return max < DESCRIPTORS_WANTED ? Check.warn("descriptors", said, "raise it for jfrps: LimitNOFILE=1048576 in its "
                + "systemd unit (ops/), or ulimit -n before it starts") : Check.pass("descriptors", said);
    }
}
