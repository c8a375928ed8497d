package io.jfrp.core.transport;

import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicChannel;

import java.net.SocketAddress;

/** The address of the host at the other end of a control channel, whatever carries it. */
public final class PeerAddress {

    private PeerAddress() {
    }

    /** A QUIC stream's own address is only its stream id: the host is its connection's. */
    public static SocketAddress of(Channel ch) {
        return ch.parent() instanceof QuicChannel q ? q.remoteSocketAddress() : ch.remoteAddress();
    }
}
