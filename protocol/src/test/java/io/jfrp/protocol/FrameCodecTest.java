package io.jfrp.protocol;

import io.jfrp.testing.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LeakCheck.class)
class FrameCodecTest {

    private static final List<Message> CONTROL = List.of(
            new Message.Hello("0.1.0", 7),
            new Message.Login("run-1", "alice", 1_700_000_000_000L, new byte[32], "host", 3000),
            new Message.Login("run-1", "alice", 1_700_000_000_000L, new byte[32], "host", 3000, new byte[]{1, 2, 3}),
            new Message.LoginOk("run-1", "welcome"),
            new Message.LoginOk("run-1", "resumed", new byte[]{9, 8, 7}),
            new Message.LoginFail(ErrorCode.AUTH_FAILED, "wrong token"),
            new Message.NewProxy("web", "tcp", 6000),
            Message.NewProxy.annotated("web", "tcp", 6000, java.util.Map.of("frp.e2e.test/foo", "value1", "team", "öps")),
            new Message.NewProxyResult("web", 6000, ErrorCode.PORT_IN_USE, "port 6000 is already in use"),
            new Message.CloseProxy("web"),
            new Message.Ping(42L),
            new Message.Pong(43L),
            new Message.GoAway(ErrorCode.SHUTTING_DOWN, "bye ünïcode"),
            new Message.StreamOpen(5, "web", "/1.2.3.4:5678"),
            new Message.StreamOpenOk(5),
            new Message.StreamOpenFail(5, "refused"),
            new Message.WindowUpdate(5, 65536),
            new Message.WindowOffset(5, (1L << 40) + 3, 1L << 33),
            new Message.StreamOpen(7, "web", new InetSocketAddress("2001:db8::7", 443), true),
            new Message.StreamOpen(9, "web", new InetSocketAddress("198.51.100.9", 65535), true),
            new Message.StreamOpen(11, "web", UserAddress.UNKNOWN, true),
            new Message.Fin(5),
            new Message.Reset(5, "closed"));

    /** Frames written by the encoder, fed to a fresh decoder after the preface. */
    private static EmbeddedChannel pipe() {
        return new EmbeddedChannel(new FrameDecoder());
    }

    private static ByteBuf encodeAll(List<Message> messages) {
        EmbeddedChannel enc = new EmbeddedChannel(FrameEncoder.INSTANCE);
        enc.writeOutbound(new Message.Preface(1, 0));
        for (Message m : messages) {
            enc.writeOutbound(m);
        }
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = enc.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        enc.finishAndReleaseAll();
        return all;
    }

    @Test
    void everyControlMessageRoundTrips() {
        ByteBuf wire = encodeAll(CONTROL);
        EmbeddedChannel dec = pipe();
        dec.writeInbound(wire);
        assertThat((Object) dec.readInbound()).isEqualTo(new Message.Preface(1, 0));
        for (Message expected : CONTROL) {
            Message got = dec.readInbound();
            if (expected instanceof Message.Login l) {
                Message.Login g = (Message.Login) got;
                assertThat(g.runId()).isEqualTo(l.runId());
                assertThat(g.proof()).isEqualTo(l.proof());
                assertThat(g.heartbeatIntervalMillis()).isEqualTo(3000);
                assertThat(g.resumeProof()).as("absent from a 1.0 client: empty").isEqualTo(l.resumeProof());
            } else if (expected instanceof Message.LoginOk o) {
                Message.LoginOk g = (Message.LoginOk) got;
                assertThat(g.runId()).isEqualTo(o.runId());
                assertThat(g.message()).isEqualTo(o.message());
                assertThat(g.sessionSecret()).isEqualTo(o.sessionSecret());
            } else {
                assertThat(got).isEqualTo(expected);
            }
        }
        assertThat(dec.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aNewProxyWithMoreOptionsThanAllowedIsRefused() {
        java.util.Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i <= Wire.MAX_PROXY_OPTIONS; i++) {
            many.put("k" + i, "v");
        }
        assertThat(Message.NewProxy.annotated("web", "tcp", 0, java.util.Map.of("a", "b")).annotations())
                .containsOnly(java.util.Map.entry("a", "b"));
        ByteBuf wire = encodeAll(List.of(new Message.NewProxy("web", "tcp", 0, many)));
        EmbeddedChannel dec = pipe();
        assertThatThrownBy(() -> dec.writeInbound(wire)).hasMessageContaining("129 proxy options exceed 128");
        dec.finishAndReleaseAll();
    }

    @Test
    void challengeCarriesItsNonce() {
        byte[] nonce = new byte[Wire.NONCE_LENGTH];
        nonce[0] = 9;
        nonce[31] = 7;
        EmbeddedChannel dec = pipe();
        dec.writeInbound(encodeAll(List.of(new Message.Challenge(nonce, "0.1.0", 0))));
        dec.readInbound();
        Message.Challenge c = dec.readInbound();
        assertThat(c.nonce()).isEqualTo(nonce);
        assertThat(c.serverTimeMillis()).as("a 1.0/1.1 server's challenge has no clock").isZero();
        dec.finishAndReleaseAll();
    }

    @Test
    void aChallengeMayCarryTheServersClockAfterItsFeatures() {
        EmbeddedChannel dec = pipe();
        dec.writeInbound(encodeAll(List.of(new Message.Challenge(new byte[Wire.NONCE_LENGTH], "0.1.0", 3, 1_700_000_000_123L))));
        dec.readInbound();
        Message.Challenge c = dec.readInbound();
        assertThat(c.features()).isEqualTo(3);
        assertThat(c.serverTimeMillis()).isEqualTo(1_700_000_000_123L);
        dec.finishAndReleaseAll();
    }

    @Test
    void dataIsDecodedWithoutCopyAndSurvivesByteAtATimeDelivery() {
        byte[] payload = "hello through the tunnel".getBytes(StandardCharsets.UTF_8);
        EmbeddedChannel enc = new EmbeddedChannel(FrameEncoder.INSTANCE);
        enc.writeOutbound(new Message.Preface(1, 0), new Message.Data(3, Unpooled.wrappedBuffer(payload)));
        ByteBuf wire = Unpooled.buffer();
        ByteBuf b;
        while ((b = enc.readOutbound()) != null) {
            wire.writeBytes(b);
            b.release();
        }
        EmbeddedChannel dec = pipe();
        while (wire.isReadable()) {
            dec.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();
        dec.readInbound();
        Message.Data d = dec.readInbound();
        assertThat(d.streamId()).isEqualTo(3);
        assertThat(d.payload().toString(StandardCharsets.UTF_8)).isEqualTo("hello through the tunnel");
        d.release();
        enc.finishAndReleaseAll();
        dec.finishAndReleaseAll();
    }

    @Test
    void garbageInsteadOfThePrefaceIsRefusedWithItsFirstBytes() {
        EmbeddedChannel dec = pipe();
        assertThatThrownBy(() -> dec.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not a jfrp peer")
                .hasMessageContaining("474554");
        // Further bytes are discarded, not decoded.
        dec.writeInbound(Unpooled.copiedBuffer("JFRP", StandardCharsets.US_ASCII));
        assertThat((Object) dec.readInbound()).isNull();
        dec.finishAndReleaseAll();
    }

    @Test
    void aFrameOverTheHardMaximumIsRefusedBeforeItIsBuffered() {
        EmbeddedChannel dec = pipe();
        ByteBuf b = Unpooled.buffer();
        b.writeInt(Wire.MAGIC).writeByte(1).writeByte(0);
        b.writeByte(MessageType.DATA.code).writeInt(1).writeInt(Wire.MAX_PAYLOAD + 1);
        assertThatThrownBy(() -> dec.writeInbound(b)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds the maximum");
        dec.finishAndReleaseAll();
    }

    @Test
    void controlFramesHaveASmallerLimit() {
        EmbeddedChannel dec = pipe();
        ByteBuf b = Unpooled.buffer();
        b.writeInt(Wire.MAGIC).writeByte(1).writeByte(0);
        b.writeByte(MessageType.HELLO.code).writeInt(0).writeInt(Wire.MAX_CONTROL_PAYLOAD + 1);
        assertThatThrownBy(() -> dec.writeInbound(b)).isInstanceOf(ProtocolException.class);
        dec.finishAndReleaseAll();
    }

    @Test
    void unknownTypeTruncatedPayloadAndWrongStreamAreProtocolErrors() {
        assertThatThrownBy(() -> feed(frame(200, 0, new byte[0]))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown frame type 200");
        // A HELLO whose string length points past the payload.
        assertThatThrownBy(() -> feed(frame(MessageType.HELLO.code, 0, new byte[]{0, 50, 'a'})))
                .isInstanceOf(DecoderException.class).hasMessageContaining("truncated");
        // A stream message on the control stream, and a control message on a stream.
        assertThatThrownBy(() -> feed(frame(MessageType.FIN.code, 0, new byte[0]))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("on stream 0");
        assertThatThrownBy(() -> feed(frame(MessageType.PING.code, 3, new byte[8]))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void oversizedStringsAreRefusedByTheEncoder() {
        EmbeddedChannel enc = new EmbeddedChannel(FrameEncoder.INSTANCE);
        String huge = "x".repeat(Wire.MAX_STRING_BYTES + 1);
        assertThatThrownBy(() -> enc.writeOutbound(new Message.CloseProxy(huge))).isInstanceOf(IllegalArgumentException.class);
        enc.finishAndReleaseAll();
    }

    private static byte[] frame(int type, int stream, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(Wire.MAGIC).writeByte(1).writeByte(0);
        b.writeByte(type).writeInt(stream).writeInt(payload.length).writeBytes(payload);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static void feed(byte[] bytes) {
        EmbeddedChannel dec = pipe();
        try {
            dec.writeInbound(Unpooled.wrappedBuffer(bytes));
        } finally {
            dec.finishAndReleaseAll();
        }
    }
}
