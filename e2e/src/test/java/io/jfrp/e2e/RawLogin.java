package io.jfrp.e2e;

import io.jfrp.protocol.FrameDecoder;
import io.jfrp.protocol.FrameEncoder;
import io.jfrp.protocol.LoginProof;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A login written by hand, as an attacker would (plain, no TLS): the server's answer to it. */
final class RawLogin {

    private RawLogin() {
    }

    /** @param from the local address to connect from (another loopback address), or null for any */
    static Message login(int port, InetAddress from, String token, String runId, String user, int heartbeatMillis,
                         byte[] resumeProof) throws Exception {
        try (Socket s = new Socket()) {
            if (from != null) {
                s.bind(new InetSocketAddress(from, 0));
            }
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.setSoTimeout(15_000);
            EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder());
            try {
                send(s, new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR), new Message.Hello("attacker", 0));
                Message.Challenge c = next(s, decoder, Message.Challenge.class);
                long now = System.currentTimeMillis();
                send(s, new Message.Login(runId, user, now, LoginProof.compute(token, c.nonce(), now, runId),
                        "evil\nhost", heartbeatMillis, resumeProof));
                return next(s, decoder, Message.class);
            } finally {
                decoder.finishAndReleaseAll();
            }
        }
    }

    private static void send(Socket s, Message... messages) throws Exception {
        ByteBuf out = Unpooled.buffer();
        for (Message m : messages) {
            FrameEncoder.encode(m, out);
        }
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        out.release();
        s.getOutputStream().write(b);
    }

    /** The next message of {@code type} (a Preface before it is skipped). */
    private static <T> T next(Socket s, EmbeddedChannel decoder, Class<T> type) throws Exception {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (true) {
            Object m;
            while ((m = decoder.readInbound()) != null) {
                if (type.isInstance(m) && !(m instanceof Message.Preface)) {
                    return type.cast(m);
                }
            }
            int n = in.read(buf);
            if (n < 0) {
                throw new java.io.EOFException("the server closed the connection");
            }
            decoder.writeInbound(Unpooled.wrappedBuffer(buf, 0, n).copy());
        }
    }
}
