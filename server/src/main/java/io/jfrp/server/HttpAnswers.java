package io.jfrp.server;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** The answers the vhost HTTP port gives itself, when no service does: what went wrong, in a small page. */
final class HttpAnswers {

    private static final String NOT_FOUND_PAGE = """
            <!DOCTYPE html>
            <html>
            <head><title>Not Found</title></head>
            <body>
            <h1>The page you asked for was not found.</h1>
            <p>No service is published here under this name. If you run it, check that its client is connected
            and that the proxy's customDomains, subdomain and locations match this address.</p>
            <p><em>jfrps</em></p>
            </body>
            </html>
            """;

    private HttpAnswers() {
    }

    /** frp's custom404Page when the server has one, jfrp's otherwise. */
    static FullHttpResponse notFound(String customPage, boolean keepAlive) {
        return page(HttpResponseStatus.NOT_FOUND, customPage != null ? customPage : NOT_FOUND_PAGE, keepAlive);
    }

    static FullHttpResponse unauthorized(boolean proxy, boolean keepAlive) {
        FullHttpResponse r = text(proxy ? HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED : HttpResponseStatus.UNAUTHORIZED,
                keepAlive);
        r.headers().set(proxy ? HttpHeaderNames.PROXY_AUTHENTICATE : HttpHeaderNames.WWW_AUTHENTICATE,
                "Basic realm=\"Restricted\"");
        return r;
    }

    /** A status with its reason as the body: 400, 502, 504 and the like. */
    static FullHttpResponse text(HttpResponseStatus status, boolean keepAlive) {
        return body(status, status.reasonPhrase() + "\n", HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8", keepAlive);
    }

    private static FullHttpResponse page(HttpResponseStatus status, String html, boolean keepAlive) {
        return body(status, html, HttpHeaderValues.TEXT_HTML + "; charset=utf-8", keepAlive);
    }

    private static FullHttpResponse body(HttpResponseStatus status, String text, String type, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }
}
