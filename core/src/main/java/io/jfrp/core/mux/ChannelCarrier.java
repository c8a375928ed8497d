package io.jfrp.core.mux;

import io.jfrp.core.transport.PeerAddress;
import io.jfrp.protocol.Message;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * A channel as a {@link Carrier}: sits after the frame codec, hands every stream frame (and every PONG,
 * which the session's round-trip sampler reads) to its {@link MuxSession}, and passes control messages
 * on to the next handler. It attaches itself to the session when it joins the pipeline and detaches
 * when the channel ends; the session outlives it.
 * <p>
 * A channel may live on another event loop than its session (a client that logged in again landed on
 * another loop of the server): its frames then hop onto the session's loop, one task each, in order.
 */
public final class ChannelCarrier extends ChannelInboundHandlerAdapter implements Carrier {

    private final MuxSession session;
    private volatile int features;
    private ChannelHandlerContext ctx;

    /** @param features what both sides speak (Wire.FEATURE_*), when known already (the server's, after HELLO) */
    public ChannelCarrier(MuxSession session, int features) {
        this.session = session;
        this.features = features;
    }

    /** The client learns in CHALLENGE what the server speaks: before any stream can exist. */
    public void negotiated(int features) {
        this.features = features;
    }

    public MuxSession session() {
        return session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        session.onLoop(() -> session.attach(this));
    }

    @Override
    public void write(Message m) {
        ctx.write(m, ctx.voidPromise());
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public int features() {
        return features;
    }

    @Override
    public String peer() {
        return String.valueOf(PeerAddress.of(ctx.channel()));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Message m && m.type().isStreamMessage()) {
            // Per frame: a direct call when the loops are one (the common case), no task, no lambda.
            if (session.executor().inEventLoop()) {
                session.onFrame(this, m);
            } else {
                session.executor().execute(() -> session.onFrame(this, m));
            }
            return;
        }
        if (msg instanceof Message.Pong p) {
            session.onLoop(() -> session.onPong(p));
        }
        // PONGs go on too: the client reads its round-trip time from every one.
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (session.executor().inEventLoop()) {
            session.onReadComplete(this);
        } else {
            session.executor().execute(() -> session.onReadComplete(this));
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            session.onLoop(() -> session.onWritable(this));
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.onLoop(() -> session.detach(this));
        ctx.fireChannelInactive();
    }

}
