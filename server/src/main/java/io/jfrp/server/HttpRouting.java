package io.jfrp.server;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a request on the vhost HTTP port goes, as frp decides it: the host (the Host header, or the
 * host of a proxy-form URI or a CONNECT), the path, and the HTTP user route it; the route's credentials
 * are checked (Authorization, or Proxy-Authorization for a proxy-form request). Either a route or the
 * answer the user gets instead.
 */
final class HttpRouting {

    /** A route to take, or (route null) an answer to give and, for a malformed request, why. */
    record Decision(DomainRoutes.Route route, FullHttpResponse answer, String problem) {
    }

    /** Where a request goes: the host and path it is routed by, and whether it came in proxy form. */
    record Target(String host, String path, boolean proxyForm) {
        static Target of(HttpRequest req) {
            String uri = req.uri();
            if (HttpMethod.CONNECT.equals(req.method())) {
                return new Target(uri, "", true);
            }
            if (uri.startsWith("/") || uri.equals("*")) {
                String host = req.headers().get(HttpHeaderNames.HOST);
                return new Target(host == null ? "" : host, new QueryStringDecoder(uri).path(), false);
            }
            try {
                URI u = new URI(uri);
                if (u.getHost() == null) {
                    return null;
                }
                String path = u.getPath() == null || u.getPath().isEmpty() ? "/" : u.getPath();
                return new Target(u.getHost(), path, true);
            } catch (URISyntaxException e) {
                return null;
            }
        }
    }

    private HttpRouting() {
    }

    static Decision decide(ServerRuntime rt, HttpRequest req, boolean keepAlive) {
        if (req.decoderResult().isFailure()) {
            Throwable why = req.decoderResult().cause();
            HttpResponseStatus status = why instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : why instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            return new Decision(null, HttpAnswers.text(status, false), why instanceof TooLongFrameException
                    ? "request head over the limit" : String.valueOf(why.getMessage()));
        }
        Target target = Target.of(req);
        if (target == null) {
            return new Decision(null, HttpAnswers.text(HttpResponseStatus.BAD_REQUEST, false), "request target " + req.uri());
        }
        String proxyAuth = req.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
        BasicAuth auth = BasicAuth.parse(target.proxyForm() ? proxyAuth : req.headers().get(HttpHeaderNames.AUTHORIZATION));
        // As frp: a proxy-form request without Proxy-Authorization is still routed by its Authorization's user
        // (so it meets the route and a 407, not a 404), but only Proxy-Authorization can pass the check.
        String routeUser = target.proxyForm() && proxyAuth == null
                ? BasicAuth.parse(req.headers().get(HttpHeaderNames.AUTHORIZATION)).user() : auth.user();
        DomainRoutes.Route route = rt.httpRoutes.find(target.host(), target.path(), routeUser);
        if (route == null || route.session().isClosed()) {
            return new Decision(null, HttpAnswers.notFound(rt.config.vhost().custom404Page(), keepAlive), null);
        }
        if (route.guarded() && !auth.matches(route.httpUser(), route.httpPassword())) {
            return new Decision(null, HttpAnswers.unauthorized(target.proxyForm(), keepAlive), null);
        }
        return new Decision(route, null, null);
    }
}
