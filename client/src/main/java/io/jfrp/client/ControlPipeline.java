package io.jfrp.client;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.mux.ChannelCarrier;
import io.jfrp.core.mux.MuxSession;
import io.jfrp.core.mux.PingResponder;
import io.jfrp.core.net.OutboundLimit;
import io.jfrp.protocol.FrameDecoder;
import io.jfrp.protocol.FrameEncoder;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/** The handlers of a control channel, after what its transport put first (TLS, WebSocket framing). */
final class ControlPipeline {

    private ControlPipeline() {
    }

    /** @param joins the channel joins the session beside the one it has (a move made before the break) */
    static void install(ChannelPipeline p, ControlLoop loop, ClientConfig config, MuxSession mux, String runId,
                        boolean joins) {
        p.addLast("outbound-limit", new OutboundLimit(OutboundLimit.CONTROL_CHANNEL_BYTES));
        p.addLast("decoder", new FrameDecoder());
        p.addLast("heartbeat-timeout", new IdleStateHandler(config.heartbeatTimeout().toMillis(), 0, 0,
                TimeUnit.MILLISECONDS));
        p.addLast("encoder", FrameEncoder.INSTANCE);
        // Joins the session's streams as it joins the pipeline; the server's carrier does so after login.
        p.addLast("mux", new ChannelCarrier(mux, 0));
        p.addLast("pings", new PingResponder());
        p.addLast("control", new ControlHandler(loop, config, runId, joins));
    }
}
