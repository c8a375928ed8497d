package io.jfrp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 that breaks links the way networks do: passes, goes silent (holds sockets,
 * forwards nothing, closes nothing: a NAT that dropped its state), freezes only the links it holds now,
 * resets them, refuses new ones, delays or throttles. Blocking sockets and a thread per direction: the
 * relay must not share an event loop with the code under test.
 */
public final class FaultRelay implements AutoCloseable {

    public enum Mode { PASS, SILENT, REFUSE }

    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile long delayMillis;
    private volatile long bytesPerSecond;

    private final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean frozen;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
            synchronized (this) {
                notifyAll();
            }
        }

        /** Blocks while the link must not forward: frozen, or the whole relay silent. */
        synchronized void awaitForwarding() throws InterruptedException {
            while ((frozen || mode == Mode.SILENT) && !client.isClosed()) {
                wait(50);
            }
        }
    }

    public FaultRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        Thread t = new Thread(this::acceptLoop, "fault-relay-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far: tells a test that a client dialled again. */
    public int accepted() {
        return accepted.get();
    }

    public int openLinks() {
        return (int) links.stream().filter(l -> !l.client.isClosed()).count();
    }

    public void mode(Mode m) {
        this.mode = m;
        links.forEach(l -> {
            synchronized (l) {
                l.notifyAll();
            }
        });
    }

    /** Every link held now stops forwarding and never closes; new links pass. */
    public void freezeExisting() {
        links.forEach(l -> l.frozen = true);
    }

    /** Every link held now is reset (RST, not FIN). */
    public void resetAll() {
        for (Link l : links) {
            try {
                l.client.setSoLinger(true, 0);
                l.upstream.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // closing anyway
            }
            l.close();
        }
        links.clear();
    }

    public void delay(long millis) {
        this.delayMillis = millis;
    }

    /** 0 for no limit. */
    public void throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (mode == Mode.REFUSE) {
                closeQuietly(c);
                continue;
            }
            Socket u = new Socket();
            try {
                u.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                c.setTcpNoDelay(true);
                u.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(c);
                closeQuietly(u);
                continue;
            }
            Link link = new Link(c, u);
            links.add(link);
            start(link, c, u);
            start(link, u, c);
        }
    }

    private void start(Link link, Socket from, Socket to) {
        Thread t = new Thread(() -> pump(link, from, to), "fault-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private void pump(Link link, Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                link.awaitForwarding();
                long d = delayMillis;
                if (d > 0) {
                    Thread.sleep(d); // the injected fault itself
                }
                long rate = bytesPerSecond;
                if (rate > 0) {
                    Thread.sleep(Math.max(1, n * 1000L / rate)); // the injected fault itself
                }
                out.write(buf, 0, n);
            }
            if (!link.frozen && mode != Mode.SILENT) {
                to.shutdownOutput();
            }
        } catch (IOException | InterruptedException e) {
            if (!link.frozen) {
                link.close();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        links.forEach(Link::close);
        links.clear();
    }
}
