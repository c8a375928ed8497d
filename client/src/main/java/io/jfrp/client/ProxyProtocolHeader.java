package io.jfrp.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The PROXY protocol header (frp's {@code transport.proxyProtocolVersion}) that tells a local service the
 * user's real address, made by Netty's HAProxy encoder: written before the first byte of a TCP stream, or
 * leading every datagram of a UDP flow (as HAProxy's spec has it for datagrams). The destination is the
 * proxy's public port; its address is not known on the client, so it is the family's any-address.
 */
final class ProxyProtocolHeader {

    private ProxyProtocolHeader() {
    }

    /** @param version "v1" or "v2"; @param user the user's address from the stream's open (may be unknown) */
    static ByteBuf encode(String version, boolean datagram, InetSocketAddress user, int remotePort) {
        HAProxyProtocolVersion v = version.equals("v1") ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
        HAProxyMessage m;
        if (user.isUnresolved() || user.getAddress() == null) {
            // A 1.0 server sent no usable address: the header says so rather than inventing one.
            m = new HAProxyMessage(v, v == HAProxyProtocolVersion.V1 ? HAProxyCommand.PROXY : HAProxyCommand.LOCAL,
                    HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0);
        } else {
            boolean v6 = user.getAddress() instanceof Inet6Address;
            HAProxyProxiedProtocol p = datagram ? (v6 ? HAProxyProxiedProtocol.UDP6 : HAProxyProxiedProtocol.UDP4)
                    : (v6 ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4);
            m = new HAProxyMessage(v, HAProxyCommand.PROXY, p, user.getAddress().getHostAddress(), v6 ? "::" : "0.0.0.0",
                    user.getPort(), remotePort);
        }
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(m);
        ByteBuf header = encoder.readOutbound();
        encoder.finishAndReleaseAll();
        return header;
    }

    /** On a UDP flow's socket to the service: every datagram leaves with the header in front. */
    @ChannelHandler.Sharable
    static final class DatagramPrefix extends MessageToMessageEncoder<ByteBuf> {
        private final ByteBuf header;

        DatagramPrefix(ByteBuf header) {
            super(ByteBuf.class);
            this.header = header;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, ByteBuf datagram, List<Object> out) {
            CompositeByteBuf both = ctx.alloc().compositeBuffer(2);
            both.addComponents(true, header.retainedDuplicate(), datagram.retain());
            out.add(both);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            header.release();
        }
    }
}
