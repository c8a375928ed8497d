package io.jfrp.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP service on 127.0.0.1 (or ::1), port 0: sends every datagram back to whoever sent it, unchanged,
 * and remembers which addresses wrote to it. A plain blocking socket on its own thread: the service
 * under the tunnel must not share Netty with it.
 */
public final class UdpEchoServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final AtomicLong datagrams = new AtomicLong();
    private final Set<InetSocketAddress> senders = ConcurrentHashMap.newKeySet();

    public UdpEchoServer() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    public UdpEchoServer(InetAddress bindTo) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(bindTo, 0));
        socket.setReceiveBufferSize(1024 * 1024);
        Thread t = new Thread(this::serve, "udp-echo-" + socket.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public long datagrams() {
        return datagrams.get();
    }

    /** The addresses (the tunnel's sockets, one per user address) that sent datagrams. */
    public Set<InetSocketAddress> senders() {
        return senders;
    }

    private void serve() {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
                datagrams.incrementAndGet();
                senders.add((InetSocketAddress) p.getSocketAddress());
                socket.send(new DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                // a send the kernel refused: that datagram is lost, as UDP loses datagrams
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
