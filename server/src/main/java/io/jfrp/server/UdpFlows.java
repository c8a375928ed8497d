package io.jfrp.server;

import io.jfrp.core.log.LogLimiter;
import io.jfrp.core.log.PeerText;
import io.jfrp.core.mux.DatagramFlow;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The handler on a UDP proxy's public socket: each user address is a {@link DatagramFlow}, a stream of
 * its session opened by the address's first datagram and ended when it idles (a later datagram opens a
 * new one). Runs on the session's loop, where the socket lives.
 */
final class UdpFlows extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger log = LoggerFactory.getLogger(UdpFlows.class);
    /**
     * Flows one UDP port keeps at once. A flood of datagrams from forged addresses would otherwise open a
     * stream for each; past this, new addresses are dropped until flows idle out.
     */
    static final int MAX_FLOWS = 4096;

    private final ClientSession session;
    private final String proxyName;
    private final Duration idleTimeout;
    private final Map<InetSocketAddress, DatagramFlow> flows = new HashMap<>();
    private final LogLimiter limiter = new LogLimiter(Duration.ofSeconds(60));

    UdpFlows(ClientSession session, String proxyName, Duration idleTimeout) {
        super(false);
        this.session = session;
        this.proxyName = proxyName;
        this.idleTimeout = idleTimeout;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
        InetSocketAddress from = p.sender();
        DatagramFlow flow = flows.get(from);
        if (flow == null) {
            if (flows.size() >= MAX_FLOWS) {
                p.release();
                String suffix = limiter.admit("full");
                if (suffix != null) {
                    log.warn("proxy {}: {} user addresses already have a flow; datagrams from new ones are dropped "
                            + "until some idle out{}", PeerText.escape(proxyName), MAX_FLOWS, suffix);
                }
                return;
            }
            flow = newFlow(ctx, from);
        }
        flow.received(p.content());
    }

    private DatagramFlow newFlow(ChannelHandlerContext ctx, InetSocketAddress from) {
        DatagramFlow[] self = new DatagramFlow[1];
        DatagramFlow flow = new DatagramFlow(ctx.channel(), from, idleTimeout, () -> flows.remove(from, self[0]));
        self[0] = flow;
        flows.put(from, flow);
        session.userFlow(flow, proxyName);
        return flow;
    }

    /** The port closed: so does every flow on it (its stream is reset, the client closes its socket). */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        new ArrayList<>(flows.values()).forEach(DatagramFlow::close);
        flows.clear();
        ctx.fireChannelInactive();
    }

    /** A send or receive error on a UDP socket concerns one datagram (an ICMP answer, a full buffer), not the port. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("proxy {}: UDP socket error: {}", PeerText.escape(proxyName), cause.toString());
    }
}
