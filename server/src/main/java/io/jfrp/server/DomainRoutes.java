package io.jfrp.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The names one of the server's shared ports routes by (the vhost HTTP port's, the tcpmux port's), for
 * every client: a domain (lower case, no port; {@code *.example.com} for every name under it, {@code *} for
 * any), a path prefix (the longest wins; "" for none), and the HTTP user it is for ("" for any: frp's
 * {@code routeByHTTPUser}), to the session and proxy that own it. Filled by {@link ProxyPorts}, read on
 * every request: a lookup reads a domain's immutable map, a claim or release replaces those of its domains. A name,
 * path and user belong to one proxy at a time, or to the members of one load-balancing group, taken in turn;
 * a second claim is refused with frp's words.
 */
final class DomainRoutes {

    /** Who takes a routed request, and what the user must present and the request gets on the way. */
    record Route(ClientSession session, String proxy, String httpUser, String httpPassword, HttpEdits edits) {
        Route(ClientSession session, String proxy) {
            this(session, proxy, "", "", HttpEdits.NONE);
        }

        boolean sameOwner(Route o) {
            return o.session == session && o.proxy.equals(proxy);
        }

        boolean guarded() {
            return !httpUser.isEmpty() || !httpPassword.isEmpty();
        }
    }

    /**
     * Who one domain, location and HTTP user reach: one proxy, or the members of frp's load-balancing
     * {@code group} (every one with its {@code groupKey}), taken in turn. Immutable; {@code turn} is shared
     * by the copies a claim or release makes, so the rotation goes on across them.
     */
    private record Members(String group, String groupKey, List<Route> routes, AtomicInteger turn) {

        boolean has(Route r) {
            return routes.stream().anyMatch(x -> x.sameOwner(r));
        }

        /** With {@code r} in place of its earlier self. */
        Members with(Route r) {
            List<Route> next = new ArrayList<>(routes);
            next.removeIf(x -> x.sameOwner(r));
            next.add(r);
            return new Members(group, groupKey, List.copyOf(next), turn);
        }

        Members without(ClientSession session, String proxy) {
            List<Route> next = new ArrayList<>(routes);
            next.removeIf(x -> x.session() == session && x.proxy().equals(proxy));
            return next.isEmpty() ? null : new Members(group, groupKey, List.copyOf(next), turn);
        }

        /** The next member in turn whose client is there; when none is, the next in turn (it holds the user). */
        Route next() {
            return Rotation.next(routes, turn, r -> Rotation.attached(r.session()));
        }
    }

    private record Located(String location, Members members) {
    }

    /** Longest location first: a prefix sorts before its extensions, so reverse order puts them ahead. */
    private static final Comparator<Located> LONGEST_FIRST = Comparator.comparing(Located::location).reversed();

    /**
     * domain -> HTTP user -> locations, longest first. Each domain's map is immutable once published, and a
     * claim or release replaces only the maps of its own domains: copying the whole table on each claim
     * made 20,000 proxies logging in together cost O(n^2) under this lock (both loops blocked for minutes).
     */
    private final ConcurrentHashMap<String, Map<String, List<Located>>> table = new ConcurrentHashMap<>();

    static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? h : h.substring(0, close + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon >= 0 && h.indexOf(':') == colon ? h.substring(0, colon) : h;
    }

    private static List<String> orNone(List<String> locations) {
        return locations.isEmpty() ? List.of("") : locations;
    }

    private static Set<String> normalized(List<String> domains) {
        Set<String> out = new LinkedHashSet<>();
        for (String d : domains) {
            out.add(normalize(d));
        }
        return out;
    }

    synchronized String claim(List<String> domains, List<String> locations, String routeUser, Route route) {
        return claim(domains, locations, routeUser, route, "", "");
    }

    /**
     * Claims every domain and location (for {@code routeUser}) for {@code route}, or none. In a
     * load-balancing {@code group} ("" for none) it shares them with the group's members, given its key.
     * @return why not, in frp's words for a taken name ("router config conflict"), or null
     */
    synchronized String claim(List<String> domains, List<String> locations, String routeUser, Route route, String group,
                              String groupKey) {
        for (String d : domains) {
            for (String l : orNone(locations)) {
                Members other = exact(table, normalize(d), l, routeUser);
                if (other == null || other.has(route) && other.routes.size() == 1) {
                    continue;
                }
                String what = "domain " + d + (l.isEmpty() ? "" : " location " + l) + (routeUser.isEmpty() ? ""
                        : " (for HTTP user " + routeUser + ")");
                if (group.isEmpty() || !group.equals(other.group)) {
                    return "router config conflict: " + what + " is already routed to another proxy"
                            + (other.group.isEmpty() ? "" : " (of load-balancing group " + other.group + ")");
                }
                if (!groupKey.equals(other.groupKey)) {
                    return "load-balancing group " + group + " of " + what + " has another groupKey";
                }
            }
        }
        for (String domain : normalized(domains)) {
            Map<String, List<Located>> byUser = new HashMap<>(table.getOrDefault(domain, Map.of()));
            List<Located> list = new ArrayList<>(byUser.getOrDefault(routeUser, List.of()));
            for (String l : orNone(locations)) {
                Members was = list.stream().filter(x -> x.location.equals(l)).map(Located::members).findFirst().orElse(null);
                Members now = was != null && !group.isEmpty() && group.equals(was.group) ? was.with(route)
                        : new Members(group, groupKey, List.of(route), new AtomicInteger());
                list.removeIf(x -> x.location.equals(l));
                list.add(new Located(l, now));
            }
            list.sort(LONGEST_FIRST);
            byUser.put(routeUser, List.copyOf(list));
            table.put(domain, Map.copyOf(byUser));
        }
        return null;
    }

    synchronized void release(List<String> domains, List<String> locations, String routeUser, ClientSession session,
                              String proxy) {
        for (String domain : normalized(domains)) {
            Map<String, List<Located>> byUser = table.get(domain);
            List<Located> list = byUser == null ? null : byUser.get(routeUser);
            if (list == null) {
                continue;
            }
            List<Located> kept = new ArrayList<>();
            for (Located x : list) {
                Members left = orNone(locations).contains(x.location) ? x.members.without(session, proxy) : x.members;
                if (left != null) {
                    kept.add(new Located(x.location, left));
                }
            }
            Map<String, List<Located>> next = new HashMap<>(byUser);
            if (kept.isEmpty()) {
                next.remove(routeUser);
            } else {
                next.put(routeUser, List.copyOf(kept));
            }
            if (next.isEmpty()) {
                table.remove(domain);
            } else {
                table.put(domain, Map.copyOf(next));
            }
        }
    }

    private static Members exact(Map<String, Map<String, List<Located>>> t, String domain, String location, String user) {
        Map<String, List<Located>> byUser = t.get(domain);
        List<Located> list = byUser == null ? null : byUser.get(user);
        if (list != null) {
            for (Located x : list) {
                if (x.location.equals(location)) {
                    return x.members;
                }
            }
        }
        return null;
    }

    /** The proxy a request for {@code host} and {@code path} reaches, for that HTTP user first ("" for none), or null. */
    Route find(String host, String path, String user) {
        Map<String, Map<String, List<Located>>> t = table;
        String h = normalize(host);
        Route r = findAt(t, h, path, user);
        if (r != null) {
            return r;
        }
        // frp's wildcard walk: a.b.example.com tries *.b.example.com, then *.example.com (never *.com).
        String[] labels = h.split("\\.", -1);
        for (int i = 0; labels.length - i >= 3; i++) {
            StringBuilder w = new StringBuilder("*");
            for (int j = i + 1; j < labels.length; j++) {
                w.append('.').append(labels[j]);
            }
            r = findAt(t, w.toString(), path, user);
            if (r != null) {
                return r;
            }
        }
        return findAt(t, "*", path, user);
    }

    /** The proxy of a tcpmux CONNECT's host (no path), for that user first. */
    Route find(String host, String user) {
        return find(host, "", user);
    }

    private static Route findAt(Map<String, Map<String, List<Located>>> t, String domain, String path, String user) {
        Map<String, List<Located>> byUser = t.get(domain);
        if (byUser == null) {
            return null;
        }
        Route r = user.isEmpty() ? null : longestPrefix(byUser.get(user), path);
        return r != null ? r : longestPrefix(byUser.get(""), path);
    }

    private static Route longestPrefix(List<Located> list, String path) {
        if (list != null) {
            for (Located x : list) {
                if (path.startsWith(x.location)) {
                    return x.members.next();
                }
            }
        }
        return null;
    }
}
