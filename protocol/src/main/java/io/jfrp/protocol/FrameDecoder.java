package io.jfrp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Bytes to {@link Message}s: the preface first, then frames of {@code type, streamId, length, payload}.
 * Stream data is a retained slice of the inbound buffer, never a copy. After the first malformed frame
 * the decoder discards everything: the channel is about to be closed by whoever handles the exception.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private boolean prefaceSeen;
    private boolean failed;

    public FrameDecoder() {
        // Frames span reads (and TLS records): a composite cumulation links the buffers instead of copying them.
        setCumulator(COMPOSITE_CUMULATOR);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            if (!prefaceSeen) {
                if (!decodePreface(in, out)) {
                    return;
                }
            }
            while (in.readableBytes() >= Wire.HEADER_LENGTH) {
                int start = in.readerIndex();
                int typeCode = in.getUnsignedByte(start);
                int streamId = in.getInt(start + 1);
                long length = in.getUnsignedInt(start + 5);
                MessageType type = MessageType.of(typeCode);
                if (type == null || type == MessageType.PREFACE) {
                    throw new ProtocolException("unknown frame type " + typeCode);
                }
                long max = type == MessageType.DATA ? Wire.MAX_PAYLOAD : Wire.MAX_CONTROL_PAYLOAD;
                if (length > max) {
                    throw new ProtocolException("frame " + type + " of " + length
                            + " bytes exceeds the maximum of " + max);
                }
                if (in.readableBytes() < Wire.HEADER_LENGTH + length) {
                    return;
                }
                in.skipBytes(Wire.HEADER_LENGTH);
                if (type == MessageType.DATA) {
                    out.add(new Message.Data(streamId, in.readRetainedSlice((int) length)));
                } else {
                    ByteBuf payload = in.slice(in.readerIndex(), (int) length);
                    in.skipBytes((int) length);
                    out.add(decodeControl(type, streamId, payload));
                }
            }
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private boolean decodePreface(ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), 4);
        for (int i = 0; i < n; i++) {
            int expected = (Wire.MAGIC >>> (24 - 8 * i)) & 0xff;
            if (in.getUnsignedByte(in.readerIndex() + i) != expected) {
                throw new ProtocolException("not a jfrp peer: first bytes were 0x"
                        + ByteBufUtil.hexDump(in, in.readerIndex(), Math.min(in.readableBytes(), 8))
                        + ", expected the preface \"JFRP\"");
            }
        }
        if (in.readableBytes() < Wire.PREFACE_LENGTH) {
            return false;
        }
        in.skipBytes(4);
        int major = in.readUnsignedByte();
        int minor = in.readUnsignedByte();
        prefaceSeen = true;
        out.add(new Message.Preface(major, minor));
        return true;
    }

    private static Message decodeControl(MessageType type, int streamId, ByteBuf p) {
        Message m = switch (type) {
            case HELLO -> new Message.Hello(str(p), p.readInt());
            case CHALLENGE -> new Message.Challenge(bytes(p), str(p), p.readInt(), p.readableBytes() >= 8 ? p.readLong() : 0);
            case LOGIN -> new Message.Login(str(p), str(p), p.readLong(), bytes(p), str(p), p.readInt(), trailingBytes(p));
            case LOGIN_OK -> new Message.LoginOk(str(p), str(p), trailingBytes(p));
            case LOGIN_FAIL -> new Message.LoginFail(ErrorCode.of(p.readUnsignedShort()), str(p));
            case NEW_PROXY -> new Message.NewProxy(str(p), str(p), p.readUnsignedShort(), options(p));
            case NEW_PROXY_RESULT -> new Message.NewProxyResult(str(p), p.readUnsignedShort(),
                    ErrorCode.of(p.readUnsignedShort()), str(p));
            case CLOSE_PROXY -> new Message.CloseProxy(str(p));
            case PING -> new Message.Ping(p.readLong());
            case PONG -> new Message.Pong(p.readLong());
            case GOAWAY -> new Message.GoAway(ErrorCode.of(p.readUnsignedShort()), str(p));
            case STREAM_OPEN -> new Message.StreamOpen(streamId, str(p), str(p));
            case STREAM_OPEN_OK -> new Message.StreamOpenOk(streamId);
            case STREAM_OPEN_FAIL -> new Message.StreamOpenFail(streamId, str(p));
            case WINDOW_UPDATE -> new Message.WindowUpdate(streamId, p.readInt());
            case WINDOW_OFFSET -> windowOffset(streamId, p.readLong(), p.readLong());
            case STREAM_OPEN_BINARY -> new Message.StreamOpen(streamId, str(p), UserAddress.read(p), true);
            case FIN -> new Message.Fin(streamId);
            case RESET -> new Message.Reset(streamId, str(p));
            default -> throw new ProtocolException("unexpected frame type " + type);
        };
        if (type.isStreamMessage() == (streamId == Message.CONTROL_STREAM)) {
            throw new ProtocolException("frame " + type + " on stream " + streamId);
        }
        return m;
    }

    /**
     * NEW_PROXY's optional trailing table of options: a count, then key and value strings. Absent (nothing
     * left) from a client that has none or predates it; at most {@link Wire#MAX_PROXY_OPTIONS} entries.
     */
    private static java.util.Map<String, String> options(ByteBuf p) {
        if (!p.isReadable()) {
            return java.util.Map.of();
        }
        need(p, 2);
        int n = p.readUnsignedShort();
        if (n > Wire.MAX_PROXY_OPTIONS) {
            throw new ProtocolException(n + " proxy options exceed " + Wire.MAX_PROXY_OPTIONS);
        }
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(str(p), str(p));
        }
        return out;
    }

    private static Message.WindowOffset windowOffset(int streamId, long maxOffset, long consumed) {
        if (maxOffset < 0 || consumed < 0) {
            throw new ProtocolException("window offset " + maxOffset + " (consumed " + consumed + ") is negative");
        }
        return new Message.WindowOffset(streamId, maxOffset, consumed);
    }

    private static void need(ByteBuf p, int n) {
        if (p.readableBytes() < n) {
            throw new ProtocolException("truncated frame: needed " + n + " more bytes, had "
                    + p.readableBytes());
        }
    }

    private static String str(ByteBuf p) {
        need(p, 2);
        int len = p.readUnsignedShort();
        if (len > Wire.MAX_STRING_BYTES) {
            throw new ProtocolException("string of " + len + " bytes exceeds " + Wire.MAX_STRING_BYTES);
        }
        need(p, len);
        String s = p.toString(p.readerIndex(), len, StandardCharsets.UTF_8);
        p.skipBytes(len);
        return s;
    }

    /** An optional last field (added in a minor version): empty when the sender stopped before it. */
    private static byte[] trailingBytes(ByteBuf p) {
        return p.isReadable() ? bytes(p) : new byte[0];
    }

    private static byte[] bytes(ByteBuf p) {
        need(p, 2);
        int len = p.readUnsignedShort();
        need(p, len);
        byte[] b = new byte[len];
        p.readBytes(b);
        return b;
    }

    /** Fixed-size fields read past the end surface as IndexOutOfBounds; report them as protocol errors. */
    @Override
    protected void callDecode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            super.callDecode(ctx, in, out);
        } catch (io.netty.handler.codec.DecoderException e) {
            if (e.getCause() instanceof IndexOutOfBoundsException) {
                failed = true;
                throw new ProtocolException("truncated frame: " + e.getCause().getMessage());
            }
            throw e;
        }
    }
}
