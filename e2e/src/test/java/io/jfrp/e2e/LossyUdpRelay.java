package io.jfrp.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP relay for one client on loopback that drops every Nth datagram each way: loss without netem.
 * The client sends to {@link #port()}; the relay's second socket talks to the target.
 */
final class LossyUdpRelay implements AutoCloseable {

    private final DatagramSocket front;
    private final DatagramSocket back;
    private final InetSocketAddress target;
    private final int every;
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile SocketAddress client;

    LossyUdpRelay(int targetPort, int every) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        this.front = new DatagramSocket(new InetSocketAddress(lo, 0));
        this.back = new DatagramSocket(new InetSocketAddress(lo, 0));
        this.target = new InetSocketAddress(lo, targetPort);
        this.every = every;
        start("lossy-relay-up", front, true);
        start("lossy-relay-down", back, false);
    }

    private void start(String name, DatagramSocket from, boolean up) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65535];
            int n = 0;
            while (!from.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    from.receive(p);
                    if (up) {
                        client = p.getSocketAddress();
                    }
                    if (++n % every == 0) {
                        dropped.incrementAndGet();
                        continue;
                    }
                    SocketAddress to = up ? target : client;
                    if (to != null) {
                        (up ? back : front).send(new DatagramPacket(buf, p.getLength(), to));
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return front.getLocalPort();
    }

    int dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        front.close();
        back.close();
    }
}
