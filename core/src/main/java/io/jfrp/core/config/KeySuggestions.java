package io.jfrp.core.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** "Did you mean": frp's legacy INI names first, then the known key closest in spelling. */
final class KeySuggestions {

    /** Legacy snake_case names people paste from frp's INI configs, and their v0.52+ names. */
    static final Map<String, String> LEGACY = Map.ofEntries(
            Map.entry("server_addr", "serverAddr"),
            Map.entry("server_port", "serverPort"),
            Map.entry("bind_addr", "bindAddr"),
            Map.entry("bind_port", "bindPort"),
            Map.entry("token", "auth.token"),
            Map.entry("authentication_method", "auth.method"),
            Map.entry("heartbeat_interval", "transport.heartbeatInterval"),
            Map.entry("heartbeat_timeout", "transport.heartbeatTimeout"),
            Map.entry("login_fail_exit", "loginFailExit"),
            Map.entry("tcp_mux", "transport.tcpMux"),
            Map.entry("pool_count", "transport.poolCount"),
            Map.entry("protocol", "transport.protocol"),
            Map.entry("tls_enable", "transport.tls.enable"),
            Map.entry("tls_cert_file", "transport.tls.certFile"),
            Map.entry("tls_key_file", "transport.tls.keyFile"),
            Map.entry("tls_trusted_ca_file", "transport.tls.trustedCaFile"),
            Map.entry("tls_only", "transport.tls.force"),
            Map.entry("admin_addr", "webServer.addr"),
            Map.entry("admin_port", "webServer.port"),
            Map.entry("admin_user", "webServer.user"),
            Map.entry("admin_pwd", "webServer.password"),
            Map.entry("dashboard_addr", "webServer.addr"),
            Map.entry("dashboard_port", "webServer.port"),
            Map.entry("dashboard_user", "webServer.user"),
            Map.entry("dashboard_pwd", "webServer.password"),
            Map.entry("local_ip", "localIP"),
            Map.entry("local_port", "localPort"),
            Map.entry("remote_port", "remotePort"),
            Map.entry("custom_domains", "customDomains"),
            Map.entry("sk", "secretKey"),
            Map.entry("use_encryption", "transport.useEncryption"),
            Map.entry("use_compression", "transport.useCompression"),
            Map.entry("kcp_bind_port", "kcpBindPort"),
            Map.entry("vhost_http_port", "vhostHTTPPort"),
            Map.entry("vhost_https_port", "vhostHTTPSPort"),
            Map.entry("subdomain_host", "subDomainHost"),
            Map.entry("allow_ports", "allowPorts"),
            Map.entry("max_pool_count", "transport.maxPoolCount"),
            Map.entry("max_ports_per_client", "maxPortsPerClient"),
            Map.entry("proxy_bind_addr", "proxyBindAddr"),
            Map.entry("log_file", "log.to"),
            Map.entry("log_level", "log.level"),
            Map.entry("log_max_days", "log.maxDays"),
            Map.entry("user_conn_timeout", "userConnTimeout"),
            Map.entry("dial_server_timeout", "transport.dialServerTimeout"));

    private KeySuggestions() {
    }

    /** @return a hint starting with "did you mean", or null when nothing is close */
    static String suggest(String unknown, Collection<String> known) {
        String last = unknown.substring(unknown.lastIndexOf('.') + 1);
        String legacy = LEGACY.get(last);
        if (legacy != null) {
            return "did you mean " + legacy + "? (" + last + " is frp's legacy INI name)";
        }
        String lower = unknown.toLowerCase(Locale.ROOT);
        for (String k : known) {
            if (k.toLowerCase(Locale.ROOT).endsWith("." + lower)) {
                return "did you mean " + k + "?";
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(lower, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        int limit = Math.max(2, unknown.length() / 4);
        return best != null && bestDistance <= limit ? "did you mean " + best + "?" : null;
    }

    /** Levenshtein distance, two rows. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
