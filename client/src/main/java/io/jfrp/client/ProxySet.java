package io.jfrp.client;

import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.config.DomainRouting;
import io.jfrp.core.config.HttpProxyConfig;
import io.jfrp.core.config.HttpsProxyConfig;
import io.jfrp.core.config.TcpmuxProxyConfig;
import io.jfrp.protocol.Message;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's proxies by name, replaced as a whole when the config is reloaded: readers on any
 * thread see the old set or the new one, never half of each.
 */
final class ProxySet {

    private volatile Map<String, ProxyConfig> byName;

    ProxySet(List<ProxyConfig> proxies) {
        this.byName = index(proxies);
    }

    private static Map<String, ProxyConfig> index(List<ProxyConfig> proxies) {
        Map<String, ProxyConfig> m = new LinkedHashMap<>();
        proxies.forEach(p -> m.put(p.name(), p));
        return java.util.Collections.unmodifiableMap(m);
    }

    ProxyConfig get(String name) {
        return byName.get(name);
    }

    Collection<ProxyConfig> all() {
        return byName.values();
    }

    int size() {
        return byName.size();
    }

    /** What a reload changes, by name: {@code changed} holds the new versions. */
    record Diff(List<ProxyConfig> removed, List<ProxyConfig> added, List<ProxyConfig> changed, int unchanged) {
        @Override
        public String toString() {
            return added.size() + " added, " + changed.size() + " changed, " + removed.size() + " removed, "
                    + unchanged + " unchanged";
        }
    }

    /** Takes {@code next} as the set; @return what differs from the set it replaces */
    Diff replace(List<ProxyConfig> next) {
        Map<String, ProxyConfig> old = byName;
        Map<String, ProxyConfig> now = index(next);
        List<ProxyConfig> removed = new ArrayList<>();
        List<ProxyConfig> added = new ArrayList<>();
        List<ProxyConfig> changed = new ArrayList<>();
        int unchanged = 0;
        for (ProxyConfig p : old.values()) {
            if (!now.containsKey(p.name())) {
                removed.add(p);
            }
        }
        for (ProxyConfig p : now.values()) {
            ProxyConfig before = old.get(p.name());
            if (before == null) {
                added.add(p);
            } else if (!before.equals(p)) {
                changed.add(p);
            } else {
                unchanged++;
            }
        }
        byName = now;
        return new Diff(removed, added, changed, unchanged);
    }

    /** NEW_PROXY for {@code p} asking for {@code port}, with its annotations (frp's: shown by the server's API). */
    static Message.NewProxy request(ProxyConfig p, int port) {
        Message.NewProxy annotated = Message.NewProxy.annotated(p.name(), p.type().configName(), port,
                p.labels().annotations());
        Map<String, String> options = new java.util.HashMap<>(annotated.options());
        if (p.balancing().grouped()) {
            options.put(Message.NewProxy.GROUP, p.balancing().group());
            options.put(Message.NewProxy.GROUP_KEY, p.balancing().groupKey());
        }
        if (p.bandwidth().atServer()) {
            options.put(Message.NewProxy.BANDWIDTH_LIMIT, String.valueOf(p.bandwidth().bytesPerSecond()));
        }
        DomainRouting routing = p instanceof TcpmuxProxyConfig t ? t.routing()
                : p instanceof HttpProxyConfig h ? h.routing() : p instanceof HttpsProxyConfig h ? h.routing() : null;
        if (routing == null) {
            return new Message.NewProxy(p.name(), p.type().configName(), port, options);
        }
        options.put(Message.NewProxy.CUSTOM_DOMAINS, String.join(",", routing.customDomains()));
        options.put(Message.NewProxy.SUBDOMAIN, routing.subdomain());
        options.put(Message.NewProxy.HTTP_USER, routing.httpUser());
        options.put(Message.NewProxy.HTTP_PASSWORD, routing.httpPassword());
        options.put(Message.NewProxy.ROUTE_BY_HTTP_USER, routing.routeByHTTPUser());
        if (p instanceof HttpProxyConfig h) {
            options.put(Message.NewProxy.LOCATIONS, String.join("\n", routing.locations()));
            options.put(Message.NewProxy.HOST_HEADER_REWRITE, h.hostHeaderRewrite());
            h.requestHeaders().forEach((k, v) -> options.put(Message.NewProxy.REQUEST_HEADER + k, v));
            h.responseHeaders().forEach((k, v) -> options.put(Message.NewProxy.RESPONSE_HEADER + k, v));
        }
        return new Message.NewProxy(p.name(), p.type().configName(), port, options);
    }
}
