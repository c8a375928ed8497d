package io.jfrp.client.plugin;

import io.jfrp.core.config.PluginConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

import java.util.Map;

/**
 * Edits each request an HTTP plugin passes on, as frp's plugins do: {@code hostHeaderRewrite} replaces the
 * Host, {@code requestHeaders.set} sets headers; a plugin that ends the users' TLS is the first to see
 * their address, so it adds it to X-Forwarded-For (after any the request brought) and says the request
 * came as https, where a plugin behind the server's HTTP port leaves those as the server set them.
 */
final class RequestEditor extends ChannelInboundHandlerAdapter {

    private final PluginConfig plugin;
    private final String userIp;

    RequestEditor(PluginConfig plugin, String userIp) {
        this.plugin = plugin;
        this.userIp = userIp;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            edit(req.headers());
        }
        ctx.fireChannelRead(msg);
    }

    private void edit(HttpHeaders h) {
        String host = h.get(HttpHeaderNames.HOST);
        if (plugin.endsTls() && !userIp.isEmpty()) {
            String before = h.get("X-Forwarded-For");
            h.set("X-Forwarded-For", before == null || before.isBlank() ? userIp : before + ", " + userIp);
            if (host != null) {
                h.set("X-Forwarded-Host", host);
            }
            h.set("X-Forwarded-Proto", "https");
        }
        if (!plugin.hostHeaderRewrite().isEmpty()) {
            h.set(HttpHeaderNames.HOST, plugin.hostHeaderRewrite());
        }
        for (Map.Entry<String, String> e : plugin.requestHeaders().entrySet()) {
            h.set(e.getKey(), e.getValue());
        }
    }
}
