package io.jfrp.core.transport;

import io.jfrp.core.net.NettyTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The control channel inside a WebSocket (frp's {@code transport.protocol = "websocket"}): an HTTP
 * upgrade at {@code /~!frp} on the server's bind port, then binary frames carry the channel's bytes, TLS
 * included. For networks that pass only HTTP, or a CDN or reverse proxy in front of jfrps. {@code wss}
 * (as frp) puts the session's TLS under the WebSocket instead: TLS, then the upgrade, then frames, which
 * is what an HTTPS reverse proxy in front of the server terminates and passes on as a plain WebSocket.
 */
public final class WebSocketTransport implements ClientTransport {

    static final WebSocketTransport INSTANCE = new WebSocketTransport(false);
    static final WebSocketTransport SECURE = new WebSocketTransport(true);

    /** The upgrade's path, frp's. */
    public static final String PATH = "/~!frp";

    /** The start of a client's upgrade request: what the bind port looks for. */
    private static final byte[] REQUEST_START = ("GET " + PATH).getBytes(StandardCharsets.US_ASCII);

    /**
     * The largest frame either side sends or takes. Frames are buffered whole before they are read, and
     * before login a peer is a stranger: this bounds what one costs, as TLS's 16 KiB record does.
     */
    static final int MAX_FRAME = 64 * 1024;

    /** The longest the upgrade may take, each side. */
    private static final long HANDSHAKE_MILLIS = 10_000;

    /** Whether the TLS is under the WebSocket ({@code wss}) rather than inside it. */
    private final boolean secure;

    private WebSocketTransport(boolean secure) {
        this.secure = secure;
    }

    @Override
    public String protocol() {
        return secure ? "wss" : "websocket";
    }

    @Override
    public Future<Channel> dial(NettyTransport io, EventLoop loop, ServerRoute route, Consumer<ChannelPipeline> session) {
        String host = route.host();
        int port = route.port();
        int timeoutMillis = route.timeoutMillis();
        if (secure && route.ssl() == null) {
            return loop.newFailedFuture(new IllegalArgumentException("wss is a WebSocket over TLS: TLS must be on"));
        }
        URI uri;
        try {
            uri = new URI(secure ? "wss" : "ws", null, host, port, PATH, null, null);
        } catch (URISyntaxException e) {
            return loop.newFailedFuture(e);
        }
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(Math.max(timeoutMillis, 1000))
                .dropPongFrames(true)
                .generateOriginHeader(false)
                .build();
        Promise<Channel> upgraded = loop.newPromise();
        TcpTransport.connect(io, loop, route, p -> {
            if (secure) {
                route.addTls(p);
            }
            p.addLast("ws-http", new HttpClientCodec());
            p.addLast("ws-aggregator", new HttpObjectAggregator(8 * 1024));
            p.addLast("ws", new WebSocketClientProtocolHandler(ws));
            p.addLast("ws-bytes", new WebSocketBytes(uri.getScheme() + "://" + route.hostPort() + PATH,
                    secure ? session : route.tlsThen(session), upgraded));
        }).addListener(f -> {
            if (!f.isSuccess()) {
                upgraded.tryFailure(f.cause());
            }
        });
        return upgraded;
    }

    /** Whether a connection's first bytes so far can still be, or are, a client's upgrade request. */
    public static Sniff sniff(ByteBuf in) {
        int n = Math.min(in.readableBytes(), REQUEST_START.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != REQUEST_START[i]) {
                return Sniff.NO;
            }
        }
        return n == REQUEST_START.length ? Sniff.YES : Sniff.MORE;
    }

    /** What {@link #sniff} saw. */
    public enum Sniff { YES, NO, MORE }

    /**
     * Makes an accepted connection a WebSocket server: its handlers go before {@code before}, the first of
     * the session's own, which then read and write the frames' bytes.
     */
    public static void acceptOn(ChannelPipeline p, String before) {
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(PATH)
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(HANDSHAKE_MILLIS)
                .dropPongFrames(true)
                .build();
        p.addBefore(before, "ws-http", new HttpServerCodec(4096, 16 * 1024, 8192));
        p.addBefore(before, "ws-aggregator", new HttpObjectAggregator(8 * 1024));
        p.addBefore(before, "ws", new WebSocketServerProtocolHandler(ws));
        p.addBefore(before, "ws-bytes", new WebSocketBytes(null, null, null));
    }
}
