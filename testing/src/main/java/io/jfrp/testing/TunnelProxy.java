package io.jfrp.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An outbound proxy on 127.0.0.1, as a client's network might put one in its way: HTTP CONNECT or SOCKS5,
 * with or without a user and password. It opens tunnels only to loopback, and records where each came
 * from and asked to go. Blocking sockets and threads: it must not share an event loop with the code
 * under test.
 */
public final class TunnelProxy implements AutoCloseable {

    public enum Kind { HTTP, SOCKS5 }

    /** One tunnel asked for: from where, to where (as the client named it), and whether it was opened. */
    public record Request(InetSocketAddress from, String target, boolean opened) {
    }

    private final Kind kind;
    private final String user;
    private final String password;
    private final ServerSocket server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Integer> firstBytes = new CopyOnWriteArrayList<>();

    /** A proxy that asks for {@code user}/{@code password} (empty user: asks for nothing). */
    public TunnelProxy(Kind kind, String user, String password) throws IOException {
        this.kind = kind;
        this.user = user;
        this.password = password;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tunnel-proxy");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The proxy as a URL, with the given credentials in it (empty user: none). */
    public String url(String u, String p) {
        String scheme = kind == Kind.HTTP ? "http" : "socks5";
        return scheme + "://" + (u.isEmpty() ? "" : u + ":" + p + "@") + "127.0.0.1:" + port();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The first byte each client sent through its tunnel: 0x16 starts TLS, 'G' an HTTP upgrade. */
    public List<Integer> firstBytes() {
        return List.copyOf(firstBytes);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "tunnel-proxy-link");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String target = kind == Kind.HTTP ? httpConnect(in, out) : socks5(in, out);
            InetSocketAddress from = (InetSocketAddress) client.getRemoteSocketAddress();
            if (target == null) {
                requests.add(new Request(from, "", false));
                client.close();
                return;
            }
            int colon = target.lastIndexOf(':');
            String host = target.substring(0, colon);
            InetAddress to = InetAddress.getByName(host);
            if (!to.isLoopbackAddress()) {
                throw new IOException("not a loopback target: " + target);
            }
            Socket upstream = new Socket();
            sockets.add(upstream);
            upstream.connect(new InetSocketAddress(to, Integer.parseInt(target.substring(colon + 1))));
            requests.add(new Request(from, target, true));
            if (kind == Kind.HTTP) {
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 0});
            }
            out.flush();
            Thread back = new Thread(() -> pump(upstream, client), "tunnel-proxy-back");
            back.setDaemon(true);
            back.start();
            int first = in.read();
            if (first < 0) {
                upstream.shutdownOutput();
                return;
            }
            firstBytes.add(first);
            upstream.getOutputStream().write(first);
            pump(client, upstream);
        } catch (IOException e) {
            close(client);
        }
    }

    /** Reads a CONNECT request; answers 407 or 400 itself and returns null when it opens no tunnel. */
    private String httpConnect(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0 || head.size() > 16 * 1024) {
                return null;
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] first = lines[0].split(" ");
        if (first.length < 2 || !first[0].equals("CONNECT")) {
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return null;
        }
        if (!user.isEmpty()) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            boolean ok = false;
            for (String l : lines) {
                int c = l.indexOf(':');
                if (c > 0 && l.substring(0, c).equalsIgnoreCase("Proxy-Authorization") && l.substring(c + 1).trim().equals(expected)) {
                    ok = true;
                }
            }
            if (!ok) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                        + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return null;
            }
        }
        return first[1];
    }

    /** RFC 1928 and 1929, CONNECT only; returns null, having answered, when it opens no tunnel. */
    private String socks5(InputStream raw, OutputStream out) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        if (in.readUnsignedByte() != 5) {
            return null;
        }
        byte[] methods = in.readNBytes(in.readUnsignedByte());
        int want = user.isEmpty() ? 0 : 2;
        boolean offered = false;
        for (byte m : methods) {
            offered |= m == want;
        }
        if (!offered) {
            out.write(new byte[] {5, (byte) 0xFF});
            return null;
        }
        out.write(new byte[] {5, (byte) want});
        out.flush();
        if (want == 2) {
            in.readUnsignedByte();
            String u = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
            String p = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
            boolean ok = u.equals(user) && p.equals(password);
            out.write(new byte[] {1, (byte) (ok ? 0 : 1)});
            out.flush();
            if (!ok) {
                return null;
            }
        }
        if (in.readUnsignedByte() != 5 || in.readUnsignedByte() != 1) {
            return null;
        }
        in.readUnsignedByte();
        int atyp = in.readUnsignedByte();
        String host = switch (atyp) {
            case 1 -> InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
            case 3 -> new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
            case 4 -> InetAddress.getByAddress(in.readNBytes(16)).getHostAddress();
            default -> null;
        };
        int port = in.readUnsignedShort();
        return host == null ? null : host + ":" + port;
    }

    private static void pump(Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Already gone.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(TunnelProxy::close);
    }
}
