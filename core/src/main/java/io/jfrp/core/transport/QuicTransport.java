package io.jfrp.core.transport;

import io.jfrp.core.net.NettyTransport;
import io.jfrp.core.tls.TlsContexts;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The control channel on one QUIC stream (frp's {@code transport.protocol = "quic"}, the server's
 * {@code quicBindPort}): UDP, so it passes where TCP is blocked, and a lost packet delays only what it
 * carried. The session's streams travel inside the one QUIC stream, as over TCP; QUIC's own TLS is a
 * carrier detail (see {@link TlsContexts#quicServer}).
 */
public final class QuicTransport implements ClientTransport {

    static final QuicTransport INSTANCE = new QuicTransport();

    /** A datagram's room: QUIC's packets stay below 1,350 bytes here, as quiche's default. */
    private static final int PACKET = 2048;
    private static final int UDP_PAYLOAD = 1350;
    /**
     * Flow-control windows of the one stream and the connection. The session's own windows, per stream,
     * are what bound memory; these only need to let a WAN's bandwidth-delay product through.
     */
    private static final long WINDOW = 8L * 1024 * 1024;
    /**
     * The session's heartbeats find a dead link (seconds); this only reclaims a connection whose stream
     * never opened, or whose peer vanished when no session watched it.
     */
    private static final long IDLE_SECONDS = 330;

    /** QUIC's TLS on the client accepts any certificate (a carrier only): one context serves every dial. */
    private static final QuicSslContext CLIENT_TLS = TlsContexts.quicClient();

    private QuicTransport() {
    }

    /** What both sides' codecs share; {@code peerStreams} is how many streams the other side may open. */
    private static <B extends QuicCodecBuilder<B>> B carrier(B b, int peerStreams) {
        // BBR, not quiche's default CUBIC: a link chosen for QUIC is often a lossy one, where random loss
        // is no sign of congestion; CUBIC halved its window at each loss (60 Mbit/s at 1 % loss over a
        // 20 ms wanlink where TCP with the kernel's BBR kept 543).
        return b.congestionControlAlgorithm(QuicCongestionControlAlgorithm.BBR)
                .maxIdleTimeout(IDLE_SECONDS, TimeUnit.SECONDS)
                .maxSendUdpPayloadSize(UDP_PAYLOAD)
                .maxRecvUdpPayloadSize(UDP_PAYLOAD)
                .initialMaxData(WINDOW)
                .initialMaxStreamDataBidirectionalLocal(WINDOW)
                .initialMaxStreamDataBidirectionalRemote(WINDOW)
                .initialMaxStreamsBidirectional(peerStreams)
                .initialMaxStreamsUnidirectional(0);
    }

    @Override
    public String protocol() {
        return "quic";
    }

    @Override
    public Future<Channel> dial(NettyTransport io, EventLoop loop, ServerRoute route, Consumer<ChannelPipeline> session) {
        String host = route.host();
        int port = route.port();
        int timeoutMillis = route.timeoutMillis();
        Promise<Channel> ready = loop.newPromise();
        ChannelHandler codec = carrier(new QuicClientCodecBuilder().sslContext(CLIENT_TLS), 0).build();
        ScheduledFuture<?> deadline = loop.schedule(() -> {
            ready.tryFailure(new IOException("no QUIC handshake with " + host + ":" + port + " (UDP) within "
                    + timeoutMillis + " ms: is quicBindPort set on the server, and is UDP let through?"));
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        ready.addListener(f -> deadline.cancel(false));
        io.resolve(loop, host, port).addListener(r -> {
            if (!r.isSuccess()) {
                ready.tryFailure(r.cause());
                return;
            }
            InetSocketAddress server = (InetSocketAddress) r.getNow();
            String local = !route.localAddr().isEmpty() ? route.localAddr()
                    : server.getAddress() instanceof java.net.Inet6Address ? "::" : "0.0.0.0";
            ChannelFuture udp = io.datagramBootstrap(loop, PACKET).handler(codec).bind(new InetSocketAddress(local, 0));
            udp.addListener(b -> {
                if (!b.isSuccess()) {
                    ready.tryFailure(b.cause());
                    return;
                }
                // Whatever ends the dial without a stream for the session takes the socket with it.
                ready.addListener(f -> {
                    if (!f.isSuccess()) {
                        udp.channel().close();
                    }
                });
                QuicChannel.newBootstrap(udp.channel())
                        .handler(new ChannelInitializer<QuicChannel>() {
                            @Override
                            protected void initChannel(QuicChannel ch) {
                                ch.closeFuture().addListener(c -> udp.channel().close());
                            }
                        })
                        .streamHandler(new RefuseStreams())
                        .remoteAddress(server)
                        .connect()
                        .addListener(c -> {
                            if (!c.isSuccess()) {
                                ready.tryFailure(new IOException("QUIC handshake with " + host + ":" + port
                                        + " failed: " + c.cause().getMessage(), c.cause()));
                                return;
                            }
                            QuicChannel quic = (QuicChannel) c.getNow();
                            if (ready.isDone()) {
                                quic.close();
                                return;
                            }
                            quic.createStream(QuicStreamType.BIDIRECTIONAL, streamOf(route.tlsThen(session))).addListener(s -> {
                                if (s.isSuccess()) {
                                    if (!ready.trySuccess((Channel) s.getNow())) {
                                        quic.close();
                                    }
                                } else {
                                    quic.close();
                                    ready.tryFailure(s.cause());
                                }
                            });
                        });
            });
        });
        return ready;
    }

    /** The stream's pipeline: the session's handlers; its end ends the connection. */
    private static ChannelInitializer<QuicStreamChannel> streamOf(Consumer<ChannelPipeline> session) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
                ch.parent().attr(OPENED).set(Boolean.TRUE);
                ch.closeFuture().addListener(f -> ch.parent().close());
                session.accept(ch.pipeline());
            }
        };
    }

    /**
     * Listens for QUIC on UDP {@code addr:port}: each connection's first stream, opened by the client, gets
     * {@code session}'s handlers. A connection may open only that one.
     */
    public static ChannelFuture bind(NettyTransport io, EventLoopGroup loop, String addr, int port, QuicSslContext ssl,
                                     Consumer<ChannelPipeline> session) {
        ChannelHandler codec = carrier(new QuicServerCodecBuilder().sslContext(ssl), 1)
                // A retry token proves the client's address before the server keeps any state for it.
                .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel ch) {
                        // A connection whose session has not begun in time goes (the login deadline only
                        // starts with the stream).
                        ScheduledFuture<?> noStream = ch.eventLoop().schedule(() -> {
                            if (ch.isActive() && ch.attr(OPENED).get() == null) {
                                ch.close();
                            }
                        }, 10, TimeUnit.SECONDS);
                        ch.closeFuture().addListener(f -> noStream.cancel(false));
                    }
                })
                .streamHandler(streamOf(session))
                .build();
        return io.datagramBootstrap(loop.next(), PACKET).handler(codec).bind(addr, port);
    }

    private static final AttributeKey<Boolean> OPENED = AttributeKey.valueOf("jfrp.quic.opened");

    /** The client opens streams; a server that tries gets them closed. */
    private static final class RefuseStreams extends ChannelInitializer<QuicStreamChannel> {
        @Override
        protected void initChannel(QuicStreamChannel ch) {
            ch.close();
        }
    }
}
