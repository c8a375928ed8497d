package io.jfrp.client;

import io.jfrp.core.log.PeerText;
import io.jfrp.protocol.FrameDecoder;
import io.jfrp.protocol.FrameEncoder;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.jfrp.core.doctor.Check;

/**
 * The doctor's look at the server's host before any login: its name (and how long it took), whether
 * its port takes a connection (refused, timed out and no route told apart, each with its own advice),
 * what answers there when spoken to as jfrpc speaks (a jfrps and its protocol, an HTTP or SSH or TLS
 * server, something else, nothing), and which local address and interface the route to it leaves from.
 * Blocking sockets, each bounded by the doctor's timeout.
 */
final class ServerAnswer {

    /** What answered on the server's port. */
    enum Kind { JFRPS, OTHER, NOTHING }

    private ServerAnswer() {
    }

    /** @return the check, and the first address (null when the name does not resolve) */
    static Resolved dns(String host, Duration timeout) {
        long start = System.nanoTime();
        CompletableFuture<InetAddress[]> f = CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getAllByName(host);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            InetAddress[] all = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            String list = Arrays.stream(all).map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
            boolean literal = list.equals(host) || host.startsWith("[");
            return new Resolved(Check.pass("server name", literal ? host + " is an address (no DNS)"
                    : host + " is " + list + " (system resolver, " + ms + " ms)"), all[0]);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            return new Resolved(Check.fail("server name", host + ": the system resolver gave no answer within "
                    + timeout.toMillis() + " ms", "check /etc/resolv.conf and that this host reaches its DNS server"), null);
        } catch (Exception e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return new Resolved(Check.fail("server name", host + " does not resolve: " + c.getMessage(),
                    "check serverAddr, and this host's DNS (" + "getent hosts " + host + ")"), null);
        }
    }

    record Resolved(Check check, InetAddress address) {
    }

    /** A TCP connection to the port, timed; each way of failing with its own advice. */
    static Check reach(InetAddress addr, int port, Duration timeout) {
        String where = addr.getHostAddress() + ":" + port;
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(addr, port), (int) timeout.toMillis());
            return Check.pass("server port", where + " accepts TCP connections ("
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms)");
        } catch (ConnectException e) {
            return Check.fail("server port", where + " refused the connection",
                    "nothing listens there: is jfrps running with bindPort " + port + "? (a firewall that rejects looks the same)");
        } catch (SocketTimeoutException e) {
            return Check.fail("server port", where + ": no answer within " + timeout.toMillis() + " ms",
                    "a firewall drops the packets, or the host is down: check the server's firewall and its provider's "
                            + "security group for TCP " + port);
        } catch (NoRouteToHostException e) {
            return Check.fail("server port", where + ": no route to the host",
                    "this host has no route there (check `ip route get " + addr.getHostAddress() + "`), or a firewall rejects");
        } catch (IOException e) {
            return Check.fail("server port", where + ": " + e.getMessage(), "a firewall between?");
        }
    }

    /**
     * Speaks first as a plain jfrpc does (the preface and a hello; nothing is logged in) and reads what
     * comes back: a jfrps answers with its preface, whether it then takes plain clients or not.
     */
    static Answer whoAnswers(InetAddress addr, int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(addr, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            ByteBuf hello = Unpooled.buffer();
            FrameEncoder.encode(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR), hello);
            FrameEncoder.encode(new Message.Hello(JfrpClient.VERSION, Wire.FEATURES), hello);
            byte[] out = new byte[hello.readableBytes()];
            hello.readBytes(out);
            hello.release();
            s.getOutputStream().write(out);
            byte[] got = read(s.getInputStream(), 256);
            return classify(got, timeout);
        } catch (SocketTimeoutException e) {
            return new Answer(Kind.NOTHING, Check.fail("server answer", "nothing answered jfrpc's hello within "
                    + timeout.toMillis() + " ms", "that port is no jfrps: check serverPort against the server's bindPort"));
        } catch (IOException e) {
            return new Answer(Kind.NOTHING, Check.fail("server answer", "the connection failed: " + e.getMessage(), ""));
        }
    }

    record Answer(Kind kind, Check check) {
    }

    private static byte[] read(InputStream in, int max) throws IOException {
        byte[] buf = new byte[max];
        int n = in.read(buf);
        if (n <= 0) {
            return new byte[0];
        }
        // A jfrps answers with its preface and a challenge together; take what else comes at once.
        int more = in.available() > 0 ? in.read(buf, n, max - n) : 0;
        return Arrays.copyOf(buf, n + Math.max(0, more));
    }

    private static Answer classify(byte[] got, Duration timeout) {
        String notJfrps = "serverPort must be the server's bindPort (frps.toml), not its web, vhost or another service's port";
        if (got.length == 0) {
            return new Answer(Kind.OTHER, Check.fail("server answer", "the port closed the connection on jfrpc's hello: "
                    + "not a jfrps (an frps of fatedier/frp does this too: jfrpc speaks only to jfrps)", notJfrps));
        }
        if (got.length >= 4 && ((got[0] & 0xff) << 24 | (got[1] & 0xff) << 16 | (got[2] & 0xff) << 8 | (got[3] & 0xff)) == Wire.MAGIC) {
            EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder());
            try {
                decoder.writeInbound(Unpooled.wrappedBuffer(got));
                Message.Preface p = decoder.readInbound();
                Object next = decoder.readInbound();
                String plain = next instanceof Message.GoAway ? "; it takes TLS clients only (transport.tls.force)"
                        : next instanceof Message.Challenge c ? " (jfrps " + PeerText.escape(c.softwareVersion())
                        + "); it takes plain clients too" : "";
                return new Answer(Kind.JFRPS, Check.pass("server answer", "a jfrps answers, protocol " + p.major() + "."
                        + p.minor() + plain));
            } catch (RuntimeException e) {
                return new Answer(Kind.JFRPS, Check.warn("server answer", "a jfrps preface, then something unreadable: "
                        + e.getMessage(), "the server and this client may be of very different versions"));
            } finally {
                decoder.finishAndReleaseAll();
            }
        }
        String text = new String(got, 0, Math.min(got.length, 60), StandardCharsets.ISO_8859_1);
        String what;
        if (text.startsWith("HTTP/")) {
            what = "an HTTP server (" + PeerText.escape(text.lines().findFirst().orElse("")) + ")";
        } else if (text.startsWith("SSH-")) {
            what = "an SSH server (" + PeerText.escape(text.lines().findFirst().orElse("")) + ")";
        } else if ((got[0] & 0xff) == 0x15 || (got[0] & 0xff) == 0x16) {
            what = "a TLS server that is not a jfrps";
        } else if (text.chars().limit(16).allMatch(ch -> ch >= 0x20 && ch < 0x7f || ch == '\r' || ch == '\n')) {
            what = "a service that says \"" + PeerText.escape(text.lines().findFirst().orElse("")) + "\"";
        } else {
            what = "something that is not a jfrps (first bytes 0x" + io.netty.buffer.ByteBufUtil.hexDump(got, 0,
                    Math.min(8, got.length)) + ")";
        }
        return new Answer(Kind.OTHER, Check.fail("server answer", what + " answers on that port", notJfrps));
    }

    /** Which local address and interface the route to the server leaves from (a UDP connect sends nothing). */
    static Check route(InetAddress addr, int port) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(addr, port);
            InetAddress local = s.getLocalAddress();
            NetworkInterface nic = NetworkInterface.getByInetAddress(local);
            return Check.pass("route", "to " + addr.getHostAddress() + " from " + local.getHostAddress()
                    + (nic == null ? "" : " (" + nic.getName() + ")"));
        } catch (IOException e) {
            return Check.fail("route", "no route to " + addr.getHostAddress() + ": " + e.getMessage(),
                    "check `ip route get " + addr.getHostAddress() + "`");
        }
    }
}
