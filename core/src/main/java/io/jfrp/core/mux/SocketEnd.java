package io.jfrp.core.mux;

import io.jfrp.protocol.UserAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannelConfig;

import java.net.InetSocketAddress;

/**
 * A socket as a stream's {@link LocalEnd}, with its {@link StreamRelay}: a TCP connection, or a connected
 * datagram socket (the client's to a UDP service: one per user address).
 */
final class SocketEnd implements LocalEnd {

    private final Channel ch;
    private final boolean datagrams;

    SocketEnd(Channel ch) {
        this.ch = ch;
        this.datagrams = ch instanceof DatagramChannel;
    }

    @Override
    public boolean datagrams() {
        return datagrams;
    }

    /**
     * Binds the socket's relay (put there when the socket was born, or now) to its stream, on the
     * socket's loop, then lets the stream decide whether to read: after the replay of what the socket
     * already delivered (data, a FIN), so the decision sees it.
     */
    @Override
    public void bind(MuxStream stream) {
        StreamRelay relay = ch.pipeline().get(StreamRelay.class);
        StreamRelay r = relay != null ? relay : new StreamRelay();
        if (relay == null) {
            ch.pipeline().addLast("relay", r);
        }
        if (ch.eventLoop().inEventLoop()) {
            // Called on the session's loop, so the socket shares it.
            r.bind(stream);
            stream.updateReading();
        } else {
            ch.eventLoop().execute(() -> {
                r.bind(stream);
                stream.session.executor().execute(stream::updateReading);
            });
        }
    }

    @Override
    public void reading(boolean on) {
        if (datagrams && !on) {
            return; // datagrams that cannot be sent are dropped; pausing would only let the kernel drop them later
        }
        if (ch.config().isAutoRead() != on) {
            ch.config().setAutoRead(on);
        }
    }

    @Override
    public boolean isWritable() {
        return ch.isWritable();
    }

    @Override
    public ByteBufAllocator alloc() {
        return ch.alloc();
    }

    @Override
    public void write(ByteBuf bytes, WriteDone done) {
        ch.write(bytes).addListener(f -> done.done(f.isSuccess()));
    }

    @Override
    public void flush() {
        ch.flush();
    }

    @Override
    public void afterWrites(Runnable then) {
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> then.run());
    }

    @Override
    public boolean canHalfClose() {
        return ch instanceof DuplexChannel;
    }

    /**
     * From a task of its own on the socket's loop: Netty fills a stack trace into the exception it builds
     * for every shutdownOutput, and from inside the session's read and the flush it is three times as
     * deep (5% of a server's CPU under short-lived connections).
     */
    @Override
    public void shutdownOutput(Runnable then) {
        ch.eventLoop().execute(() -> {
            if (ch.config() instanceof SocketChannelConfig c) {
                // From now on the socket's end of input closes it. With half-closure on, Netty would first
                // call shutdown(SHUT_RD), which fails with ENOTCONN (and another exception) whenever the
                // other end closed in answer to our FIN, as most do. The stream reads that close as a
                // normal end.
                c.setAllowHalfClosure(false);
            }
            ((DuplexChannel) ch).shutdownOutput().addListener(x -> then.run());
        });
    }

    @Override
    public void close() {
        ch.close();
    }

    @Override
    public void abort() {
        LocalSockets.abort(ch);
    }

    @Override
    public void onClosed(Runnable then) {
        ch.closeFuture().addListener(f -> then.run());
    }

    @Override
    public InetSocketAddress remoteAddress() {
        // A test's EmbeddedChannel has an address of its own kind: it is kept as its text.
        return ch.remoteAddress() instanceof InetSocketAddress a ? a : UserAddress.parse(String.valueOf(ch.remoteAddress()));
    }
}
