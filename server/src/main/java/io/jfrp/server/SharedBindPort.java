package io.jfrp.server;

import io.jfrp.core.transport.WebSocketTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * The bind port's first bytes tell who connected. A client's start with jfrp's magic ('J') or a TLS
 * record (0x16), or with "GET /~!frp", the upgrade of a client whose transport is a WebSocket. When the
 * port is also the vhostHTTPPort or vhostHTTPSPort, as frp allows, any other HTTP method is a user's
 * request (no method starts with the magic), and a TLS ClientHello is an HTTPS user's when its server
 * name routes to an https proxy, a client's otherwise. A user's connection loses the control pipeline
 * and becomes a vhost one; a client's keeps it. Inside a client's TLS, a WebSocket upgrade may come
 * first ({@code wss}).
 */
final class SharedBindPort extends ByteToMessageDecoder {

    private final ServerRuntime rt;

    SharedBindPort(ServerRuntime rt) {
        this.rt = rt;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        byte first = in.getByte(in.readerIndex());
        ChannelPipeline p = ctx.pipeline();
        WebSocketTransport.Sniff ws = WebSocketTransport.sniff(in);
        if (ws == WebSocketTransport.Sniff.MORE) {
            return;
        }
        boolean http = rt.config.vhost().vhostHTTPPort() == rt.config.bindPort();
        boolean https = rt.config.vhost().vhostHTTPSPort() == rt.config.bindPort();
        if (ws == WebSocketTransport.Sniff.YES) {
            WebSocketTransport.acceptOn(p, "tls");
        } else if (http && first >= 'A' && first <= 'Z' && first != 'J') {
            removeControl(p);
            VhostHttpPort.install(p, rt);
        } else if (first == 0x16) {
            p.addBefore("outbound-limit", WebSocketUnderTls.NAME, new WebSocketUnderTls());
            if (https) {
                // Decided by the server name: the control handlers stay until then, and go if it is a user's.
                p.addAfter(ctx.name(), "sni", new VhostHttpsPort.SniRouter(rt, true));
            }
        }
        // What this read holds goes on to whichever pipeline stays.
        p.remove(this);
    }

    static void removeControl(ChannelPipeline p) {
        for (String control : List.of("tls", WebSocketUnderTls.NAME, "outbound-limit", "decoder", "encoder", "login")) {
            if (p.get(control) != null) {
                p.remove(control);
            }
        }
    }
}
