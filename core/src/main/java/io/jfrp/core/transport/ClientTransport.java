package io.jfrp.core.transport;

import io.jfrp.core.net.NettyTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

import java.util.List;
import java.util.function.Consumer;

/**
 * How a client reaches the server's control port ({@code transport.protocol}, as frp names them). The
 * session's own handlers (TLS, frames, login) are the same over each: a transport only delivers bytes.
 */
public interface ClientTransport {

    /** frp's names of the transports jfrp has, in the order {@code transport.protocol} lists them. */
    List<String> PROTOCOLS = List.of("tcp", "websocket", "wss", "quic", "kcp");

    /** The transports a proxy ({@code proxyURL}) can carry: those over TCP. */
    List<String> OVER_TCP = List.of("tcp", "websocket", "wss");

    /** frp's name of this transport. */
    String protocol();

    /**
     * Connects to the route's server on {@code loop}. {@code session} adds the session's handlers at the
     * end of the carrier's pipeline, after the route's TLS; they see {@code channelActive} once the
     * carrier carries bytes (after the WebSocket upgrade, on QUIC's first stream), and the future
     * completes then, with the channel they are on. It fails, with why, when the carrier could not be
     * made; a carrier that fails later closes its channel, which the session's handlers see.
     */
    Future<Channel> dial(NettyTransport io, EventLoop loop, ServerRoute route, Consumer<ChannelPipeline> session);

    /** The transport of a {@code transport.protocol} value; null for one jfrp does not have. */
    static ClientTransport of(String protocol) {
        return switch (protocol) {
            case "tcp" -> TcpTransport.INSTANCE;
            case "websocket" -> WebSocketTransport.INSTANCE;
            case "wss" -> WebSocketTransport.SECURE;
            case "quic" -> QuicTransport.INSTANCE;
            case "kcp" -> KcpTransport.INSTANCE;
            default -> null;
        };
    }
}
