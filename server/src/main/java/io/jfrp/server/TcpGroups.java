package io.jfrp.server;

import io.jfrp.core.mux.StreamRelay;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * frp's load-balancing groups of tcp proxies, across every client of the server: a group's members share
 * one public port, listened on while the group has a member, and each user connection goes to the next
 * member in turn whose client is there. Members may belong to different clients; each must ask for the
 * same port and know the group's key. Called from any session's loop; the groups are kept under this
 * object's lock, and each member's users are handed to its own session's loop.
 */
final class TcpGroups {

    private final ServerRuntime rt;
    private final Map<String, Group> groups = new HashMap<>();

    TcpGroups(ServerRuntime rt) {
        this.rt = rt;
    }

    private record Member(ClientSession session, String proxy) {
    }

    private final class Group {
        final String name;
        final String key;
        /** The port its founder asked for (0: any); every member must ask for the same. */
        final int asked;
        final ChannelFuture listening;
        /** Replaced as a whole: the accepting loop reads it without the lock. */
        volatile List<Member> members = List.of();
        final AtomicInteger turn = new AtomicInteger();

        Group(String name, String key, int asked, int port) {
            this.name = name;
            this.key = key;
            this.asked = asked;
            this.listening = rt.transport.serverBootstrap(false)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel user) {
                            user.pipeline().addLast("relay", new StreamRelay());
                            hand(user);
                        }
                    })
                    .bind(rt.config.proxyBindAddr(), port);
        }

        int port() {
            return listening.isSuccess() ? ((InetSocketAddress) listening.channel().localAddress()).getPort() : 0;
        }

        /** The user goes to the next member whose client is there; when none is, to the next in turn (which holds it). */
        private void hand(Channel user) {
            List<Member> now = members;
            if (now.isEmpty()) {
                io.jfrp.core.mux.LocalSockets.abort(user);
                return;
            }
            Member to = Rotation.next(now, turn, m -> Rotation.attached(m.session));
            to.session.onLoop(() -> to.session.userConnected(user, to.proxy));
        }
    }

    /**
     * {@code proxy} of {@code session} joins {@code group}, founding it (and its listener on {@code port})
     * when it has no member. {@code answer} gets, on the session's loop, the group's port, or 0 and why not.
     * @param asked the port the proxy asked for (0: any), which every member must share
     */
    void join(String group, String key, int asked, int port, ClientSession session, String proxy,
              BiConsumer<Integer, String> answer) {
        Group g;
        synchronized (this) {
            g = groups.get(group);
            if (g != null && g.asked != asked) {
                String why = "load-balancing group " + group + " has port " + (g.asked == 0 ? "0 (any)" : g.asked)
                        + "; every member must ask for the same remotePort, and this one asks for " + asked;
                session.onLoop(() -> answer.accept(0, why));
                return;
            }
            if (g != null && !g.key.equals(key)) {
                session.onLoop(() -> answer.accept(0, "load-balancing group " + group + " has another groupKey"));
                return;
            }
            if (g == null) {
                g = new Group(group, key, asked, port);
                groups.put(group, g);
            }
            List<Member> next = new ArrayList<>(g.members);
            next.removeIf(m -> m.session == session && m.proxy.equals(proxy));
            next.add(new Member(session, proxy));
            g.members = List.copyOf(next);
        }
        Group joined = g;
        g.listening.addListener((ChannelFutureListener) f -> session.onLoop(() -> {
            if (f.isSuccess()) {
                answer.accept(joined.port(), null);
                return;
            }
            synchronized (this) {
                if (groups.get(group) == joined) {
                    groups.remove(group);
                }
            }
            answer.accept(0, "cannot listen on " + rt.config.proxyBindAddr() + ":" + port + " for load-balancing group "
                    + group + ": " + f.cause().getMessage());
        }));
    }

    /** {@code proxy} of {@code session} leaves {@code group}; the last member to leave closes its port. */
    void leave(String group, ClientSession session, String proxy) {
        Group closing = null;
        synchronized (this) {
            Group g = groups.get(group);
            if (g == null) {
                return;
            }
            List<Member> next = new ArrayList<>(g.members);
            next.removeIf(m -> m.session == session && m.proxy.equals(proxy));
            g.members = List.copyOf(next);
            if (next.isEmpty()) {
                groups.remove(group);
                closing = g;
            }
        }
        if (closing != null) {
            closing.listening.addListener((ChannelFutureListener) f -> f.channel().close());
        }
    }

    /** The port {@code group} listens on, or 0 when it has none (doctor's check of a member's port). */
    synchronized int port(String group) {
        Group g = groups.get(group);
        return g == null ? 0 : g.port();
    }
}
