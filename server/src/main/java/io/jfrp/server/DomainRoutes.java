package io.jfrp.server;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names the server routes by, for every client: a domain (lower case, no port) to the session and
 * proxy that own it. Filled by {@link ProxyPorts} for proxies that bind no port of their own (tcpmux;
 * http and https later), read by the ports that route by name. A domain belongs to one proxy at a time;
 * a second claim is refused with frp's words.
 */
final class DomainRoutes {

    record Route(ClientSession session, String proxy) {
    }

    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? h : h.substring(0, close + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon >= 0 && h.indexOf(':') == colon ? h.substring(0, colon) : h;
    }

    /** Claims every domain for {@code route}, or none: @return the first domain another proxy holds, or null */
    synchronized String claim(List<String> domains, Route route) {
        for (String d : domains) {
            Route other = routes.get(normalize(d));
            if (other != null && !(other.session() == route.session() && other.proxy().equals(route.proxy()))) {
                return d;
            }
        }
        domains.forEach(d -> routes.put(normalize(d), route));
        return null;
    }

    synchronized void release(List<String> domains, ClientSession session, String proxy) {
        domains.forEach(d -> routes.remove(normalize(d), new Route(session, proxy)));
    }

    /** The proxy a user's host name reaches, or null. */
    Route find(String host) {
        return routes.get(normalize(host));
    }
}
