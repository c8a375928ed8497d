package io.jfrp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * {@link Message}s to bytes. Stream data goes out as a 9-byte header followed by the payload buffer
 * itself (two writes, one gathering syscall): the payload is never copied.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends ChannelOutboundHandlerAdapter {

    public static final FrameEncoder INSTANCE = new FrameEncoder();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Message.Data data) {
            ByteBuf payload = data.payload().retain();
            data.release();
            ByteBuf header = ctx.alloc().ioBuffer(Wire.HEADER_LENGTH);
            header.writeByte(MessageType.DATA.code).writeInt(data.streamId()).writeInt(payload.readableBytes());
            ctx.write(header, ctx.voidPromise());
            ctx.write(payload, promise);
        } else if (msg instanceof Message m) {
            ByteBuf buf = ctx.alloc().ioBuffer(64);
            try {
                encode(m, buf);
            } catch (RuntimeException e) {
                buf.release();
                promise.setFailure(e);
                return;
            }
            ctx.write(buf, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /** Writes one complete frame (or the preface) for a control or stream-control message. */
    public static void encode(Message m, ByteBuf out) {
        if (m instanceof Message.Preface p) {
            out.writeInt(Wire.MAGIC).writeByte(p.major()).writeByte(p.minor());
            return;
        }
        int start = out.writerIndex();
        out.writeByte(m.type().code).writeInt(m.streamId()).writeInt(0);
        if (m instanceof Message.Hello h) {
            str(out, h.softwareVersion());
            out.writeInt(h.features());
        } else if (m instanceof Message.Challenge c) {
            bytes(out, c.nonce());
            str(out, c.softwareVersion());
            out.writeInt(c.features());
            if (c.serverTimeMillis() != 0) {
                out.writeLong(c.serverTimeMillis());
            }
        } else if (m instanceof Message.Login l) {
            str(out, l.runId());
            str(out, l.user());
            out.writeLong(l.timestampMillis());
            bytes(out, l.proof());
            str(out, l.hostname());
            out.writeInt(l.heartbeatIntervalMillis());
            if (l.resumeProof().length > 0) {
                bytes(out, l.resumeProof());
            }
        } else if (m instanceof Message.LoginOk o) {
            str(out, o.runId());
            str(out, o.message());
            if (o.sessionSecret().length > 0) {
                bytes(out, o.sessionSecret());
            }
        } else if (m instanceof Message.LoginFail f) {
            out.writeShort(f.code().code);
            str(out, f.reason());
        } else if (m instanceof Message.NewProxy n) {
            str(out, n.name());
            str(out, n.proxyType());
            out.writeShort(n.remotePort());
            if (!n.options().isEmpty()) {
                out.writeShort(n.options().size());
                for (java.util.Map.Entry<String, String> e : new java.util.TreeMap<>(n.options()).entrySet()) {
                    str(out, e.getKey());
                    str(out, e.getValue());
                }
            }
        } else if (m instanceof Message.NewProxyResult r) {
            str(out, r.name());
            out.writeShort(r.remotePort());
            out.writeShort(r.code().code);
            str(out, r.error());
        } else if (m instanceof Message.CloseProxy c) {
            str(out, c.name());
        } else if (m instanceof Message.Ping p) {
            out.writeLong(p.sentNanos());
        } else if (m instanceof Message.Pong p) {
            out.writeLong(p.sentNanos());
        } else if (m instanceof Message.GoAway g) {
            out.writeShort(g.code().code);
            str(out, g.reason());
        } else if (m instanceof Message.StreamOpen o) {
            str(out, o.proxyName());
            if (o.binaryAddress()) {
                UserAddress.write(out, o.user());
            } else {
                str(out, o.userAddress());
            }
        } else if (m instanceof Message.StreamOpenFail f) {
            str(out, f.reason());
        } else if (m instanceof Message.WindowUpdate w) {
            out.writeInt(w.increment());
        } else if (m instanceof Message.WindowOffset w) {
            out.writeLong(w.maxOffset()).writeLong(w.consumed());
        } else if (m instanceof Message.Reset r) {
            str(out, r.reason());
        } else if (m instanceof Message.Data) {
            throw new IllegalArgumentException("data is written by write(), not encode()");
        }
        // StreamOpenOk and Fin have no payload.
        out.setInt(start + 5, out.writerIndex() - start - Wire.HEADER_LENGTH);
    }

    private static void str(ByteBuf out, String s) {
        String v = s == null ? "" : s;
        int lenIndex = out.writerIndex();
        out.writeShort(0);
        int n = ByteBufUtil.writeUtf8(out, v);
        if (n > Wire.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string of " + n + " bytes exceeds " + Wire.MAX_STRING_BYTES);
        }
        out.setShort(lenIndex, n);
    }

    private static void bytes(ByteBuf out, byte[] b) {
        out.writeShort(b.length).writeBytes(b);
    }
}
