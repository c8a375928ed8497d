package io.jfrp.core.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a proxy's {@code loadBalancer.*} and {@code healthCheck.*} keys, with frp's defaults and every problem named. */
final class ProxyBalancingReader {

    private ProxyBalancingReader() {
    }

    static ProxyBalancing read(ConfigSection s, ProxyType type, boolean plugin) {
        String group = s.string("loadBalancer.group", "");
        String groupKey = s.string("loadBalancer.groupKey", "");
        if (!group.isEmpty() && type == ProxyType.UDP) {
            s.problem("loadBalancer.group", s.node("loadBalancer.group"), "\"" + group + "\": udp proxies cannot be "
                    + "grouped (jfrp and frp balance tcp, http, https and tcpmux proxies)");
            group = "";
        }
        if (group.isEmpty() && !groupKey.isEmpty()) {
            s.warn("loadBalancer.groupKey", "has no effect without loadBalancer.group");
        }
        return new ProxyBalancing(group, group.isEmpty() ? "" : groupKey, check(s, type, plugin));
    }

    private static HealthCheck check(ConfigSection s, ProxyType type, boolean plugin) {
        if (!s.has("healthCheck.type")) {
            for (String key : List.of("path", "intervalSeconds", "timeoutSeconds", "maxFailed", "httpHeaders")) {
                if (s.sets("healthCheck." + key)) {
                    s.node("healthCheck." + key);
                    s.warn("healthCheck." + key, "has no effect without healthCheck.type (tcp or http)");
                }
            }
            return null;
        }
        String kind = s.oneOf("healthCheck.type", "tcp", List.of("tcp", "http"));
        String path = s.string("healthCheck.path", "");
        // 0 means frp's default (frp takes any value below 1 so; -1 and less are refused here as the typos they are).
        long interval = s.integer("healthCheck.intervalSeconds", 0, 0, 86_400);
        long timeout = s.integer("healthCheck.timeoutSeconds", 0, 0, 3_600);
        long maxFailed = s.integer("healthCheck.maxFailed", 0, 0, 1_000_000);
        Map<String, String> headers = new LinkedHashMap<>();
        for (ConfigSection h : s.tables("healthCheck.httpHeaders")) {
            String name = h.requiredString("name");
            String value = h.string("value", "");
            if (!name.isEmpty() && !ProxyConfigReader.isHeaderName(name)) {
                h.problem("name", h.node("name"), "\"" + name + "\" is not an HTTP header name");
            } else if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                h.problem("value", h.node("value"), "a header value cannot hold a line break");
            }
            headers.put(name, value);
            h.finish();
        }
        if (kind.equals("http") && path.isEmpty()) {
            s.problem("healthCheck.path", null, "missing (expected: the path an http check GETs, such as /healthz)");
        } else if (kind.equals("tcp") && !path.isEmpty()) {
            s.warn("healthCheck.path", "has no effect on a tcp check, which only connects");
        }
        if (type == ProxyType.UDP) {
            s.problem("healthCheck.type", s.node("healthCheck.type"), "\"" + kind + "\": a udp proxy's service cannot "
                    + "be checked (tcp and http checks connect over TCP)");
            return null;
        }
        if (plugin) {
            s.warn("healthCheck.type", "has no effect: a proxy with a plugin has no local service to check");
            return null;
        }
        return new HealthCheck(kind.equals("http") ? HealthCheck.Kind.HTTP : HealthCheck.Kind.TCP, path,
                interval <= 0 ? HealthCheck.DEFAULT_INTERVAL : Duration.ofSeconds(interval),
                timeout <= 0 ? HealthCheck.DEFAULT_TIMEOUT : Duration.ofSeconds(timeout),
                (int) Math.max(1, maxFailed), headers);
    }
}
