package io.jfrp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP service on 127.0.0.1, port 0, with a thread per connection: echoes what it reads, and can be
 * told to stop reading on new connections (a stalled consumer) to exercise flow control.
 * Plain blocking sockets on purpose: the service under the tunnel must not share Netty with it.
 */
public final class EchoServer implements AutoCloseable {

    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean stallNew;

    public EchoServer() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        Thread t = new Thread(this::acceptLoop, "echo-accept-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public int accepted() {
        return accepted.get();
    }

    /** Connections accepted from now on are held open but never read: their senders fill up. */
    public void stallNewConnections(boolean stall) {
        this.stallNew = stall;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                open.add(s);
                boolean stall = stallNew;
                Thread t = new Thread(() -> serve(s, stall), "echo-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, boolean stall) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            if (stall) {
                // Hold the connection without reading until the test closes the server.
                while (!server.isClosed() && !s.isClosed()) {
                    synchronized (this) {
                        wait(200);
                    }
                }
                return;
            }
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            s.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            // the peer went away; nothing to report
        } finally {
            open.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
        synchronized (this) {
            notifyAll();
        }
    }
}
