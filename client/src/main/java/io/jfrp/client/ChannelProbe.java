package io.jfrp.client;

import io.jfrp.core.config.ChannelConfig;
import io.jfrp.core.net.NettyTransport;
import io.jfrp.core.transport.ClientTransport;
import io.jfrp.protocol.FrameDecoder;
import io.jfrp.protocol.FrameEncoder;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.util.concurrent.TimeUnit;

/**
 * Whether a channel reaches a jfrps now: the same transport and TLS as a session's, then HELLO until the
 * server's challenge, then goodbye. A carrier that merely connects proves nothing over UDP (KCP) or
 * through a proxy that accepts and drops, so the server itself must answer.
 */
final class ChannelProbe {

    private ChannelProbe() {
    }

    /** @return the round trip from HELLO to the challenge, in nanoseconds; -1 when the server did not answer */
    static Future<Long> probe(NettyTransport io, EventLoop loop, ChannelConfig ch, SslContext ssl, String serverName,
                              int timeoutMillis) {
        Promise<Long> answered = loop.newPromise();
        long[] sent = {-1};
        Promise<Channel> opened = loop.newPromise();
        ClientTransport.of(ch.protocol()).dial(io, loop, ch.route(timeoutMillis, ssl, serverName), p -> {
            p.addLast(new FrameDecoder(), FrameEncoder.INSTANCE, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    ctx.write(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR));
                    ctx.writeAndFlush(new Message.Hello(JfrpClient.VERSION, 0));
                    sent[0] = System.nanoTime();
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof Message.Challenge) {
                        answered.trySuccess(System.nanoTime() - sent[0]);
                        ctx.close();
                    }
                    ReferenceCountUtil.release(msg);
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    answered.trySuccess(-1L);
                    ctx.close();
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    answered.trySuccess(-1L);
                }
            });
        }).addListener(f -> {
            if (f.isSuccess()) {
                opened.trySuccess((Channel) f.getNow());
            } else {
                answered.trySuccess(-1L);
            }
        });
        var deadline = loop.schedule(() -> answered.trySuccess(-1L), timeoutMillis, TimeUnit.MILLISECONDS);
        answered.addListener(f -> {
            deadline.cancel(false);
            if (opened.isSuccess()) {
                opened.getNow().close();
            } else {
                opened.addListener(o -> {
                    if (o.isSuccess()) {
                        ((Channel) o.getNow()).close();
                    }
                });
            }
        });
        return answered;
    }
}
