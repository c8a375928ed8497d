package io.jfrp.client.plugin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;

/**
 * First on a plugin's connection to its service when the proxy has {@code transport.proxyProtocolVersion}:
 * the PROXY header with the user's address goes out before anything else, TLS's hello included, then
 * this handler and the encoder leave the pipeline.
 */
final class ServiceHeader extends ChannelInboundHandlerAdapter {

    static final String ENCODER = "proxy-protocol-encoder";

    private final HAProxyProtocolVersion version;
    private final HAProxyProxiedProtocol protocol;
    private final String source;
    private final String destination;
    private final int sourcePort;
    private final int destinationPort;

    /** From the header the stream dialer sent the plugin; {@code version} is "v1" or "v2". */
    ServiceHeader(String version, HAProxyMessage user) {
        this.version = version.equals("v1") ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
        this.protocol = user.proxiedProtocol();
        this.source = user.sourceAddress();
        this.destination = user.destinationAddress();
        this.sourcePort = user.sourcePort();
        this.destinationPort = user.destinationPort();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        HAProxyMessage m = protocol == HAProxyProxiedProtocol.UNKNOWN || source == null
                ? new HAProxyMessage(version, version == HAProxyProtocolVersion.V1 ? HAProxyCommand.PROXY : HAProxyCommand.LOCAL,
                        HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0)
                : new HAProxyMessage(version, HAProxyCommand.PROXY, protocol, source, destination, sourcePort, destinationPort);
        ctx.writeAndFlush(m);
        ctx.pipeline().remove(ENCODER);
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    /** The encoder this handler writes through. */
    static HAProxyMessageEncoder encoder() {
        return HAProxyMessageEncoder.INSTANCE;
    }
}
