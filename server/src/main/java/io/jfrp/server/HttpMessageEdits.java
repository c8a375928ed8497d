package io.jfrp.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * How a request changes between the user and the service, and its answer on the way back, as a reverse
 * proxy must (RFC 9110 section 7.6.1: hop-by-hop headers stay on their hop) and as frp does: the user's
 * address added to X-Forwarded-For (and X-Real-IP set to it), the Host rewritten, headers set per proxy.
 */
final class HttpMessageEdits {

    private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            "proxy-connection", HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.TE, HttpHeaderNames.UPGRADE);

    private HttpMessageEdits() {
    }

    /** Whether the request asks to switch protocols (a WebSocket's, say): its Upgrade must then reach the service. */
    static boolean isUpgrade(HttpRequest req) {
        return req.headers().contains(HttpHeaderNames.UPGRADE)
                && req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** Turns the user's request into the one the service gets. */
    static void request(HttpRequest req, InetSocketAddress user, HttpEdits edits) {
        HttpHeaders h = req.headers();
        boolean upgrade = isUpgrade(req);
        String upgradeTo = h.get(HttpHeaderNames.UPGRADE);
        String host = h.get(HttpHeaderNames.HOST);
        removeHopByHop(h);
        if (upgrade) {
            h.set(HttpHeaderNames.UPGRADE, upgradeTo);
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
        String ip = user.getAddress() == null ? user.getHostString() : user.getAddress().getHostAddress();
        List<String> before = h.getAll("X-Forwarded-For");
        h.set("X-Forwarded-For", before.isEmpty() ? ip : String.join(", ", before) + ", " + ip);
        h.set("X-Real-IP", ip);
        if (host != null && !h.contains("X-Forwarded-Host")) {
            h.set("X-Forwarded-Host", host);
        }
        if (!h.contains("X-Forwarded-Proto")) {
            h.set("X-Forwarded-Proto", "http");
        }
        if (!edits.host().isEmpty()) {
            h.set(HttpHeaderNames.HOST, edits.host());
        }
        edits.requestHeaders().forEach(h::set);
        // Each exchange is a connection of its own to the service, which speaks 1.1 to us whatever the user spoke.
        req.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /**
     * Turns the service's answer into the user's: its own hop-by-hop headers dropped, the proxy's headers
     * set, and framed for the user's connection.
     * @return whether the user's connection must close after it (its end is the connection's end)
     */
    static boolean response(HttpResponse res, boolean userKeepAlive, HttpVersion userVersion, boolean noBody,
                            HttpEdits edits) {
        HttpHeaders h = res.headers();
        removeHopByHop(h);
        edits.responseHeaders().forEach(h::set);
        boolean close = !userKeepAlive;
        boolean chunked = HttpUtil.isTransferEncodingChunked(res);
        if (!noBody && !chunked && !HttpUtil.isContentLengthSet(res)) {
            // The service ends its answer by closing: a 1.1 user gets it chunked, a 1.0 user by our close.
            if (userVersion.equals(HttpVersion.HTTP_1_1)) {
                HttpUtil.setTransferEncodingChunked(res, true);
            } else {
                close = true;
            }
        } else if (chunked && !userVersion.equals(HttpVersion.HTTP_1_1)) {
            HttpUtil.setTransferEncodingChunked(res, false);
            close = true;
        }
        res.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (close) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (userVersion.equals(HttpVersion.HTTP_1_0)) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return close;
    }

    /** The 101 answer: the service's own Upgrade and Connection stay, they are the switch. */
    static void upgradeResponse(HttpResponse res, HttpEdits edits) {
        edits.responseHeaders().forEach(res.headers()::set);
    }

    /** A message's framing and destination: never dropped because its Connection header names them. */
    private static final List<String> NEVER_HOP = List.of("content-length", "transfer-encoding", "host");

    private static void removeHopByHop(HttpHeaders h) {
        List<String> named = new ArrayList<>();
        for (String c : h.getAll(HttpHeaderNames.CONNECTION)) {
            for (String t : c.split(",")) {
                // Dropping Content-Length while its body still goes on would make the body a second request.
                if (!t.isBlank() && !NEVER_HOP.contains(t.trim().toLowerCase(java.util.Locale.ROOT))) {
                    named.add(t.trim());
                }
            }
        }
        named.forEach(h::remove);
        HOP_BY_HOP.forEach(h::remove);
    }
}
