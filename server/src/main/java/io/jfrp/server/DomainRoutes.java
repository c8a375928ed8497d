package io.jfrp.server;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names the server routes by, for every client: a domain (lower case, no port), and the HTTP user it
 * is for ("" for any: frp's {@code routeByHTTPUser}), to the session and proxy that own it, with the
 * credentials a user must present. Filled by {@link ProxyPorts} for proxies that bind no port of their
 * own (tcpmux; http and https later), read by the ports that route by name. A name belongs to one proxy
 * at a time; a second claim is refused with frp's words.
 */
final class DomainRoutes {

    record Route(ClientSession session, String proxy, String httpUser, String httpPassword) {
        Route(ClientSession session, String proxy) {
            this(session, proxy, "", "");
        }

        boolean sameOwner(Route o) {
            return o.session == session && o.proxy.equals(proxy);
        }
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

    private static String key(String domain, String routeUser) {
        return normalize(domain) + "\n" + routeUser;
    }

    /** Claims every domain (for {@code routeUser}) for {@code route}, or none: @return one another proxy holds, or null */
    synchronized String claim(List<String> domains, String routeUser, Route route) {
        for (String d : domains) {
            Route other = routes.get(key(d, routeUser));
            if (other != null && !other.sameOwner(route)) {
                return routeUser.isEmpty() ? d : d + " (for HTTP user " + routeUser + ")";
            }
        }
        domains.forEach(d -> routes.put(key(d, routeUser), route));
        return null;
    }

    synchronized void release(List<String> domains, String routeUser, ClientSession session, String proxy) {
        for (String d : domains) {
            routes.computeIfPresent(key(d, routeUser), (k, r) -> r.session() == session && r.proxy().equals(proxy) ? null : r);
        }
    }

    /** The proxy a user's host name reaches, for that HTTP user first ({@code user} may be ""), or null. */
    Route find(String host, String user) {
        Route r = user.isEmpty() ? null : routes.get(key(host, user));
        return r != null ? r : routes.get(key(host, ""));
    }
}
