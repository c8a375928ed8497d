package io.jfrp.core.transport;

import io.jfrp.core.net.NettyTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The control channel over KCP (frp's {@code transport.protocol = "kcp"}, the server's {@code kcpBindPort}):
 * an ARQ on UDP that resends sooner than TCP, for lossy links, at the price of more bandwidth. Each side's
 * socket is connected to its peer; on the server each client gets a socket of its own on the KCP port
 * (SO_REUSEPORT, connected to the client, so the kernel hands it that client's datagrams), and with it
 * a channel like any other, on a loop of the server's choosing.
 */
public final class KcpTransport implements ClientTransport {

    static final KcpTransport INSTANCE = new KcpTransport();

    private static final int PACKET = 2048;
    /** KCP's header: conv (4), cmd (1), frg, wnd, ts, sn, una, len. */
    private static final int HEADER = 24;
    private static final int CMD_PUSH = 81;
    private static final int CMD_WINS = 84;
    /**
     * Clients on one KCP port at once. UDP has no handshake, so a datagram with a forged source address
     * makes a socket until the login deadline closes it: this bounds what such a flood can take.
     */
    static final int MAX_CLIENTS = 4096;
    /** Datagrams kept for a client whose socket is still being connected. */
    private static final int EARLY_DATAGRAMS = 64;

    private KcpTransport() {
    }

    @Override
    public String protocol() {
        return "kcp";
    }

    @Override
    public Future<Channel> dial(NettyTransport io, EventLoop loop, ServerRoute route, Consumer<ChannelPipeline> session) {
        Consumer<ChannelPipeline> inside = route.tlsThen(session);
        Promise<Channel> ready = loop.newPromise();
        io.resolve(loop, route.host(), route.port()).addListener(r -> {
            if (!r.isSuccess()) {
                ready.tryFailure(r.cause());
                return;
            }
            InetSocketAddress server = (InetSocketAddress) r.getNow();
            int conv = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
            ChannelFuture f = io.datagramBootstrap(loop, PACKET)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast("kcp", new KcpCarrier(conv, server, false));
                            inside.accept(ch.pipeline());
                        }
                    })
                    .connect(server, route.localAddr().isEmpty() ? null : new InetSocketAddress(route.localAddr(), 0));
            f.addListener(c -> {
                if (f.isSuccess()) {
                    ready.trySuccess(f.channel());
                } else {
                    ready.tryFailure(f.cause());
                }
            });
        });
        return ready;
    }

    /**
     * Listens for KCP on UDP {@code addr:port}; each client's channel, on one of {@code loops}, gets
     * {@code session}'s handlers after the KCP carrier.
     */
    public static ChannelFuture bind(NettyTransport io, EventLoopGroup loops, String addr, int port,
                                     Consumer<ChannelPipeline> session) {
        return io.reusePortDatagramBootstrap(loops.next(), PACKET)
                .handler(new Listener(io, loops, session))
                .bind(addr, port);
    }

    /** Whether a datagram can be KCP's first: a header, and a command KCP has. */
    static boolean looksLikeKcp(ByteBuf b) {
        if (b.readableBytes() < HEADER) {
            return false;
        }
        int cmd = b.getUnsignedByte(b.readerIndex() + 4);
        return cmd >= CMD_PUSH && cmd <= CMD_WINS;
    }

    /**
     * The KCP port's first socket: takes the datagrams of clients that have no socket of their own yet,
     * makes them one, and hands it what arrived before it was connected.
     */
    private static final class Listener extends ChannelInboundHandlerAdapter {
        private final NettyTransport io;
        private final EventLoopGroup loops;
        private final Consumer<ChannelPipeline> session;
        /** Clients by address; a list while the socket connects (what arrived meanwhile), then its channel. */
        private final Map<InetSocketAddress, Object> clients = new HashMap<>();

        Listener(NettyTransport io, EventLoopGroup loops, Consumer<ChannelPipeline> session) {
            this.io = io;
            this.loops = loops;
            this.session = session;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket p)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            InetSocketAddress from = p.sender();
            Object known = clients.get(from);
            if (known instanceof Channel ch) {
                // A datagram that reached this socket just before the client's own was connected.
                ch.pipeline().fireChannelRead(p);
                return;
            }
            if (known instanceof List<?> early) {
                if (early.size() < EARLY_DATAGRAMS) {
                    @SuppressWarnings("unchecked")
                    List<DatagramPacket> list = (List<DatagramPacket>) early;
                    list.add(p);
                } else {
                    p.release();
                }
                return;
            }
            if (clients.size() >= MAX_CLIENTS || !looksLikeKcp(p.content())) {
                p.release();
                return;
            }
            List<DatagramPacket> early = new ArrayList<>();
            early.add(p);
            clients.put(from, early);
            InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
            int conv = p.content().getIntLE(p.content().readerIndex());
            ChannelFuture f = io.reusePortDatagramBootstrap(loops.next(), PACKET)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast("kcp", new KcpCarrier(conv, from, true));
                            session.accept(ch.pipeline());
                        }
                    })
                    .connect(from, local);
            f.addListener(c -> onPortLoop(ctx, () -> {
                Object waiting = clients.get(from);
                if (!f.isSuccess()) {
                    clients.remove(from);
                    release(waiting);
                    return;
                }
                Channel ch = f.channel();
                clients.put(from, ch);
                ch.closeFuture().addListener(x -> onPortLoop(ctx, () -> clients.remove(from, ch), null));
                if (waiting instanceof List<?> list) {
                    for (Object d : list) {
                        ch.pipeline().fireChannelRead(d);
                    }
                }
            }, f.channel()));
        }

        /**
         * Runs {@code r} on the port's loop. When that loop has ended (the port closed while a client's
         * socket was being made), its close already released what waited: {@code orphan}, if any, goes too.
         */
        private static void onPortLoop(ChannelHandlerContext ctx, Runnable r, Channel orphan) {
            try {
                ctx.executor().execute(r);
            } catch (RejectedExecutionException e) {
                if (orphan != null) {
                    orphan.close();
                }
            }
        }

        private static void release(Object waiting) {
            if (waiting instanceof List<?> list) {
                list.forEach(ReferenceCountUtil::release);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            for (Object o : clients.values()) {
                if (o instanceof Channel ch) {
                    ch.close();
                } else {
                    release(o);
                }
            }
            clients.clear();
            ctx.fireChannelInactive();
        }
    }
}
