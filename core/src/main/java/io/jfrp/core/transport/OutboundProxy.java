package io.jfrp.core.transport;

import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A proxy the client leaves through to reach the server ({@code transport.proxyURL}, as frp):
 * {@code http://[user:password@]host:port} (HTTP CONNECT) or {@code socks5://[user:password@]host:port}.
 * Netty's proxy handlers speak both; this only reads the URL.
 */
public record OutboundProxy(Kind kind, String host, int port, String user, String password) {

    /** The proxy protocols jfrp speaks. */
    public enum Kind { HTTP, SOCKS5 }

    /**
     * The proxy a URL names.
     * @throws IllegalArgumentException with what is wrong with it, in words for a config error
     */
    public static OutboundProxy parse(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL (" + e.getReason() + ")");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        Kind kind = switch (scheme) {
            case "http" -> Kind.HTTP;
            case "socks5", "socks5h" -> Kind.SOCKS5;
            default -> throw new IllegalArgumentException("the scheme \"" + scheme + "\" is not one jfrp speaks "
                    + "(expected: http:// or socks5://)");
        };
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host (expected: " + scheme + "://host:port)");
        }
        int port = u.getPort();
        if (port < 0) {
            port = kind == Kind.HTTP ? 80 : 1080;
        }
        String user = "";
        String password = "";
        if (u.getRawUserInfo() != null) {
            String info = u.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? "" : decode(info.substring(colon + 1));
        }
        String host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
        return new OutboundProxy(kind, host, port, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** A handler that asks the proxy, found at {@code at}, for a tunnel to where the channel connects. */
    ProxyHandler newHandler(InetSocketAddress at, long timeoutMillis) {
        ProxyHandler h = switch (kind) {
            case HTTP -> user.isEmpty() ? new HttpProxyHandler(at) : new HttpProxyHandler(at, user, password);
            case SOCKS5 -> user.isEmpty() ? new Socks5ProxyHandler(at) : new Socks5ProxyHandler(at, user, password);
        };
        h.setConnectTimeoutMillis(timeoutMillis);
        return h;
    }

    /** The proxy for logs and status: its password never shown. */
    @Override
    public String toString() {
        String scheme = kind == Kind.HTTP ? "http" : "socks5";
        String auth = user.isEmpty() ? "" : user + (password.isEmpty() ? "" : ":***") + "@";
        String h = host.contains(":") ? "[" + host + "]" : host;
        return scheme + "://" + auth + h + ":" + port;
    }
}
