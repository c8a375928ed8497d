package io.jfrp.server;

import io.jfrp.core.config.ProxyType;
import io.jfrp.core.mux.StreamRelay;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A proxy's public port. On a TCP port, each accepted user connection lands on the session's event loop
 * with auto-read off and is handed to the session, which opens a stream for it (or holds it while the
 * client is away); it is read only once the client has reached its local service. A UDP port is one
 * socket on the session's loop whose user addresses are flows ({@link UdpFlows}).
 * <p>
 * A paused TCP port refuses connections, as frp's port does when its client is gone, yet stays this
 * session's: a bound socket that does not listen keeps it until the client returns and it listens
 * again, or the session ends. A UDP port has nothing to refuse with: it stays bound, and what arrives
 * while its client is away is dropped.
 */
final class ProxyListener {

    final String name;
    final ProxyType type;
    private final String addr;
    private final int port;
    /** The listening channel; null while paused. */
    private Channel channel;
    /** Holds the port while paused (connections to it are refused); null when listening or not held. */
    private Socket reservation;
    private boolean closed;

    private ProxyListener(String name, ProxyType type, String addr, Channel channel) {
        this.name = name;
        this.type = type;
        this.addr = addr;
        this.channel = channel;
        this.port = ((InetSocketAddress) channel.localAddress()).getPort();
    }

    static ChannelFuture bind(ServerRuntime rt, ClientSession session, String proxyName, ProxyType type, String addr,
                              int port) {
        if (type == ProxyType.UDP) {
            return rt.transport.datagramBootstrap(session.loop, rt.config.udp().packetSize())
                    .handler(new UdpFlows(session, proxyName, rt.config.udp().idleTimeout()))
                    .bind(addr, port);
        }
        return rt.transport.serverBootstrap(session.loop, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel user) {
                        user.pipeline().addLast("relay", new StreamRelay());
                        session.userConnected(user, proxyName);
                    }
                })
                .bind(addr, port);
    }

    static ProxyListener of(String name, ProxyType type, String addr, Channel bound) {
        return new ProxyListener(name, type, addr, bound);
    }

    int port() {
        return port;
    }

    boolean paused() {
        return channel == null;
    }

    /** Stops accepting; the port stays held when the system lets a non-listening socket have it. */
    void pause() {
        if (channel == null || type == ProxyType.UDP) {
            return;
        }
        // On the session's loop, where the listener lives: the socket is closed when close() returns.
        channel.close();
        channel = null;
        reservation = reserve(addr, port);
    }

    /** Listens again on the same port; the future fails when the port could not be had back. */
    ChannelFuture resume(ServerRuntime rt, ClientSession session) {
        releaseReservation();
        return bind(rt, session, name, type, addr, port).addListener(f -> {
            if (f.isSuccess()) {
                Channel bound = ((ChannelFuture) f).channel();
                session.onLoop(() -> {
                    if (closed) {
                        bound.close(); // the session ended while the port was being had back
                    } else {
                        channel = bound;
                    }
                });
            }
        });
    }

    ChannelFuture close() {
        closed = true;
        releaseReservation();
        Channel c = channel;
        channel = null;
        return c == null ? null : c.close();
    }

    private void releaseReservation() {
        if (reservation != null) {
            try {
                reservation.close();
            } catch (IOException ignored) {
                // closing a socket that only held a port
            }
            reservation = null;
        }
    }

    /**
     * A socket bound to the port and never listening: the kernel refuses connections to it, and nobody
     * else can listen there. Without SO_REUSEADDR first; with it when connections of the old listener
     * still linger in TIME_WAIT on the port. @return null when neither works (the port is then free)
     */
    private static Socket reserve(String addr, int port) {
        for (boolean reuse : new boolean[]{false, true}) {
            Socket s = new Socket();
            try {
                s.setReuseAddress(reuse);
                s.bind(new InetSocketAddress(addr, port));
                return s;
            } catch (IOException e) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing held
                }
            }
        }
        return null;
    }
}
