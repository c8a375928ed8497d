package io.jfrp.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * frp's legacy INI format (what most OpenWrt routers still run), read as frp reads it: {@code [common]}
 * holds the settings, every other section is a proxy (or a visitor, {@code role = visitor}), and
 * {@code [range:NAME]} expands into one proxy per port. Each key becomes its v0.52+ name in a
 * {@link ConfigNode} tree with the INI line as its position, so the same binding checks it as it checks
 * TOML: the same rules, the same problems, at the INI file's lines. A key frp's INI never had is
 * reported here, with the closest INI name. Written by hand: INI is a few lines of syntax, and no
 * served library keeps positions (ini4j drops them).
 */
final class LegacyIni {

    enum Side { CLIENT, SERVER }

    private static final Pattern SECTION = Pattern.compile("^\\[\\s*([^\\]]*?)\\s*]\\s*$");
    private static final Pattern RANGE = Pattern.compile("^range:(.+)$");

    /** A v1 key and how its INI text is typed: i(nteger), b(oolean), s(tring), l(ist, comma-separated). */
    private record Target(String key, char type) {
    }

    private static final Map<String, Target> CLIENT_COMMON = table(
            "server_addr", "serverAddr:s", "server_port", "serverPort:i", "user", "user:s", "token", "auth.token:s",
            "authentication_method", "auth.method:s", "authenticate_heartbeats", "-:b",
            "authenticate_new_work_conns", "-:b", "oidc_client_id", "auth.oidc.clientID:s",
            "oidc_client_secret", "auth.oidc.clientSecret:s", "oidc_audience", "auth.oidc.audience:s",
            "oidc_scope", "auth.oidc.scope:s", "oidc_token_endpoint_url", "auth.oidc.tokenEndpointURL:s",
            "dial_server_timeout", "transport.dialServerTimeout:i",
            "dial_server_keepalive", "transport.dialServerKeepalive:i",
            "connect_server_local_ip", "transport.connectServerLocalIP:s", "http_proxy", "transport.proxyURL:s",
            "pool_count", "transport.poolCount:i", "tcp_mux", "transport.tcpMux:b",
            "tcp_mux_keepalive_interval", "transport.tcpMuxKeepaliveInterval:i", "protocol", "transport.protocol:s",
            "heartbeat_interval", "transport.heartbeatInterval:i", "heartbeat_timeout", "transport.heartbeatTimeout:i",
            "tls_enable", "transport.tls.enable:b",
            "disable_custom_tls_first_byte", "transport.tls.disableCustomTLSFirstByte:b",
            "tls_cert_file", "transport.tls.certFile:s", "tls_key_file", "transport.tls.keyFile:s",
            "tls_trusted_ca_file", "transport.tls.trustedCaFile:s", "tls_server_name", "transport.tls.serverName:s",
            "quic_keepalive_period", "transport.quic.keepalivePeriod:i",
            "quic_max_idle_timeout", "transport.quic.maxIdleTimeout:i",
            "quic_max_incoming_streams", "transport.quic.maxIncomingStreams:i",
            "log_file", "log.to:s", "log_level", "log.level:s", "log_max_days", "log.maxDays:i",
            "disable_log_color", "log.disablePrintColor:b", "admin_addr", "webServer.addr:s",
            "admin_port", "webServer.port:i", "admin_user", "webServer.user:s", "admin_pwd", "webServer.password:s",
            "assets_dir", "webServer.assetsDir:s", "pprof_enable", "webServer.pprofEnable:b",
            "dns_server", "dnsServer:s", "login_fail_exit", "loginFailExit:b", "start", "start:l",
            "udp_packet_size", "udpPacketSize:i", "includes", "includes:l",
            "nat_hole_stun_server", "natHoleStunServer:s");

    private static final Map<String, Target> SERVER_COMMON = table(
            "bind_addr", "bindAddr:s", "bind_port", "bindPort:i", "kcp_bind_port", "kcpBindPort:i",
            "quic_bind_port", "quicBindPort:i", "proxy_bind_addr", "proxyBindAddr:s",
            "vhost_http_port", "vhostHTTPPort:i", "vhost_https_port", "vhostHTTPSPort:i",
            "tcpmux_httpconnect_port", "tcpmuxHTTPConnectPort:i", "tcpmux_passthrough", "tcpmuxPassthrough:b",
            "vhost_http_timeout", "vhostHTTPTimeout:i", "dashboard_addr", "webServer.addr:s",
            "dashboard_port", "webServer.port:i", "dashboard_user", "webServer.user:s",
            "dashboard_pwd", "webServer.password:s", "dashboard_tls_mode", "-:b",
            "dashboard_tls_cert_file", "webServer.tls.certFile:s", "dashboard_tls_key_file", "webServer.tls.keyFile:s",
            "enable_prometheus", "enablePrometheus:b", "assets_dir", "webServer.assetsDir:s",
            "log_file", "log.to:s", "log_level", "log.level:s", "log_max_days", "log.maxDays:i",
            "disable_log_color", "log.disablePrintColor:b", "detailed_errors_to_client", "detailedErrorsToClient:b",
            "subdomain_host", "subDomainHost:s", "custom_404_page", "custom404Page:s",
            "user_conn_timeout", "userConnTimeout:i", "udp_packet_size", "udpPacketSize:i",
            "nat_hole_analysis_data_reserve_hours", "natholeAnalysisDataReserveHours:i",
            "tcp_mux", "transport.tcpMux:b", "tcp_mux_keepalive_interval", "transport.tcpMuxKeepaliveInterval:i",
            "tcp_keepalive", "transport.tcpKeepalive:i", "max_pool_count", "transport.maxPoolCount:i",
            "heartbeat_timeout", "transport.heartbeatTimeout:i", "tls_only", "transport.tls.force:b",
            "tls_cert_file", "transport.tls.certFile:s", "tls_key_file", "transport.tls.keyFile:s",
            "tls_trusted_ca_file", "transport.tls.trustedCaFile:s", "max_ports_per_client", "maxPortsPerClient:i",
            "allow_ports", "allowPorts:s", "token", "auth.token:s", "authentication_method", "auth.method:s",
            "authenticate_heartbeats", "-:b", "authenticate_new_work_conns", "-:b",
            "oidc_issuer", "auth.oidc.issuer:s", "oidc_audience", "auth.oidc.audience:s",
            "oidc_skip_expiry_check", "auth.oidc.skipExpiryCheck:b", "oidc_skip_issuer_check", "auth.oidc.skipIssuerCheck:b",
            "pprof_enable", "webServer.pprofEnable:b");

    private static final Map<String, Target> PROXY = table(
            "type", "type:s", "local_ip", "localIP:s", "local_port", "localPort:i", "remote_port", "remotePort:i",
            "use_encryption", "transport.useEncryption:b", "use_compression", "transport.useCompression:b",
            "bandwidth_limit", "transport.bandwidthLimit:s", "bandwidth_limit_mode", "transport.bandwidthLimitMode:s",
            "proxy_protocol_version", "transport.proxyProtocolVersion:s", "group", "loadBalancer.group:s",
            "group_key", "loadBalancer.groupKey:s", "health_check_type", "healthCheck.type:s",
            "health_check_timeout_s", "healthCheck.timeoutSeconds:i", "health_check_max_failed", "healthCheck.maxFailed:i",
            "health_check_interval_s", "healthCheck.intervalSeconds:i", "health_check_url", "healthCheck.path:s",
            "plugin", "plugin.type:s", "custom_domains", "customDomains:l", "subdomain", "subdomain:s",
            "locations", "locations:l", "http_user", "httpUser:s", "http_pwd", "httpPassword:s",
            "host_header_rewrite", "hostHeaderRewrite:s", "route_by_http_user", "routeByHTTPUser:s",
            "multiplexer", "multiplexer:s", "sk", "secretKey:s", "allow_users", "allowUsers:l", "role", "-:s");

    private static final Map<String, Target> VISITOR = table(
            "type", "type:s", "role", "-:s", "sk", "secretKey:s", "server_user", "serverUser:s",
            "server_name", "serverName:s", "bind_addr", "bindAddr:s", "bind_port", "bindPort:i",
            "use_encryption", "transport.useEncryption:b", "use_compression", "transport.useCompression:b",
            "protocol", "protocol:s", "keep_tunnel_open", "keepTunnelOpen:b", "max_retries_an_hour", "maxRetriesAnHour:i",
            "min_retry_interval", "minRetryInterval:i", "fallback_to", "fallbackTo:s", "fallback_timeout_ms", "fallbackTimeoutMs:i");

    private static Map<String, Target> table(String... pairs) {
        Map<String, Target> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            String t = pairs[i + 1];
            m.put(pairs[i], new Target(t.substring(0, t.length() - 2), t.charAt(t.length() - 1)));
        }
        return m;
    }

    private LegacyIni() {
    }

    /** Whether {@code text} is frp's legacy INI: it has a {@code [common]} section, which TOML never needs. */
    static boolean looksLikeIni(String text) {
        for (String line : text.split("\n", -1)) {
            Matcher m = SECTION.matcher(line.trim());
            if (m.matches() && m.group(1).equals("common")) {
                return true;
            }
        }
        return false;
    }

    private record Entry(String key, String value, int line, int column) {
    }

    private record Section(String name, int line, List<Entry> entries) {
    }

    static ConfigNode parse(String text, String file, Side side, List<ConfigProblem> problems) {
        List<Section> sections = sections(text, file, problems);
        Map<String, ConfigNode> root = new LinkedHashMap<>();
        List<ConfigNode> proxies = new ArrayList<>();
        List<ConfigNode> visitors = new ArrayList<>();
        List<ConfigNode> plugins = new ArrayList<>();
        for (Section s : sections) {
            if (s.name.equals("common")) {
                convert(s, side == Side.CLIENT ? CLIENT_COMMON : SERVER_COMMON, root, file, problems, "");
            } else if (side == Side.SERVER && s.name.startsWith("plugin.")) {
                plugins.add(plugin(s));
            } else if (side == Side.SERVER) {
                problems.add(new ConfigProblem(file, s.line, 1, "[" + s.name + "]",
                        "a section frps does not read (expected: [common], or [plugin.NAME])"));
            } else if ("visitor".equals(value(s, "role"))) {
                Map<String, ConfigNode> v = named(s.name, s.line);
                convert(s, VISITOR, v, file, problems, "[" + s.name + "] ");
                visitors.add(new ConfigNode(v, s.line, 1));
            } else {
                Matcher range = RANGE.matcher(s.name);
                if (range.matches()) {
                    proxies.addAll(expandRange(s, range.group(1).trim(), file, problems));
                } else {
                    Map<String, ConfigNode> p = named(s.name, s.line);
                    convert(s, PROXY, p, file, problems, "[" + s.name + "] ");
                    proxies.add(new ConfigNode(p, s.line, 1));
                }
            }
        }
        if (!proxies.isEmpty()) {
            root.put("proxies", new ConfigNode(proxies, proxies.get(0).line(), 1));
        }
        if (!visitors.isEmpty()) {
            root.put("visitors", new ConfigNode(visitors, visitors.get(0).line(), 1));
        }
        if (!plugins.isEmpty()) {
            root.put("httpPlugins", new ConfigNode(plugins, plugins.get(0).line(), 1));
        }
        return new ConfigNode(root, 1, 1);
    }

    private static List<Section> sections(String text, String file, List<ConfigProblem> problems) {
        List<Section> out = new ArrayList<>();
        Section current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                current = new Section(m.group(1), i + 1, new ArrayList<>());
                out.add(current);
                continue;
            }
            int eq = line.indexOf('=');
            int colon = line.indexOf(':');
            int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            int column = raw.indexOf(line.charAt(0)) + 1;
            if (current == null) {
                problems.add(new ConfigProblem(file, i + 1, column, null,
                        "a setting before any section (expected: [common] first)"));
                continue;
            }
            // go-ini, which frp uses, takes a line without a separator as a boolean key set to true.
            String key = sep < 0 ? line : line.substring(0, sep).trim();
            String value = sep < 0 ? "true" : unquote(line.substring(sep + 1).trim());
            current.entries.add(new Entry(key, value, i + 1, column));
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("`") && v.endsWith("`")))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static String value(Section s, String key) {
        for (Entry e : s.entries) {
            if (e.key.equals(key)) {
                return e.value;
            }
        }
        return null;
    }

    private static Map<String, ConfigNode> named(String name, int line) {
        Map<String, ConfigNode> m = new LinkedHashMap<>();
        m.put("name", new ConfigNode(name, line, 2));
        return m;
    }

    private static void convert(Section s, Map<String, Target> table, Map<String, ConfigNode> into, String file,
                                List<ConfigProblem> problems, String where) {
        for (Entry e : s.entries) {
            Target t = table.get(e.key);
            String mapped = null;
            char type = 's';
            if (t != null) {
                mapped = t.key;
                type = t.type;
            } else if (e.key.startsWith("meta_")) {
                mapped = "metadatas." + e.key.substring(5);
            } else if (table == PROXY && e.key.startsWith("header_")) {
                mapped = "requestHeaders.set." + e.key.substring(7);
            } else if (table == PROXY && e.key.startsWith("plugin_header_")) {
                mapped = "plugin.requestHeaders.set." + e.key.substring(14);
            } else if (table == PROXY && e.key.startsWith("plugin_")) {
                String param = e.key.substring(7);
                mapped = "plugin." + PLUGIN_PARAMS.getOrDefault(param, param);
            }
            if (mapped == null) {
                String hint = closest(e.key, table.keySet());
                problems.add(new ConfigProblem(file, e.line, e.column, where + e.key, "unknown key in frp's INI format"
                        + (hint == null ? "" : " (did you mean " + hint + "?)")));
                continue;
            }
            if (mapped.equals("-")) {
                continue; // read by frp for features it retired or that jfrp decides by other keys
            }
            FlagSettings.put(into, mapped, new ConfigNode(typed(e.value, type), e.line, e.column));
        }
    }

    private static Object typed(String v, char type) {
        switch (type) {
            case 'i':
                try {
                    return Long.parseLong(v);
                } catch (NumberFormatException e) {
                    return v; // the binding names the key and says a number was expected
                }
            case 'b':
                return v.equalsIgnoreCase("true") ? Boolean.TRUE : v.equalsIgnoreCase("false") ? Boolean.FALSE : v;
            case 'l':
                List<ConfigNode> items = new ArrayList<>();
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        items.add(new ConfigNode(part.trim(), 0, 0));
                    }
                }
                return items;
            default:
                return v;
        }
    }

    /** {@code [range:NAME]}: one proxy per port, local and remote lists of the same length, named NAME_0, NAME_1... */
    private static List<ConfigNode> expandRange(Section s, String name, String file, List<ConfigProblem> problems) {
        List<ConfigNode> out = new ArrayList<>();
        Entry local = entry(s, "local_port");
        Entry remote = entry(s, "remote_port");
        List<Long> locals = local == null ? List.of() : ports(local, file, problems);
        List<Long> remotes = remote == null ? List.of() : ports(remote, file, problems);
        if (locals.isEmpty() || (remote != null && remotes.size() != locals.size())) {
            if (locals.isEmpty() || !remotes.isEmpty()) {
                problems.add(new ConfigProblem(file, s.line, 1, "[" + s.name + "]", "local_port and remote_port must "
                        + "list the same number of ports (local " + locals.size() + ", remote " + remotes.size() + ")"));
            }
            return out;
        }
        Section rest = new Section(s.name, s.line, new ArrayList<>(s.entries));
        rest.entries.removeIf(e -> e.key.equals("local_port") || e.key.equals("remote_port"));
        for (int i = 0; i < locals.size(); i++) {
            Map<String, ConfigNode> p = named(name + "_" + i, s.line);
            convert(rest, PROXY, p, file, problems, "[" + s.name + "] ");
            p.put("localPort", new ConfigNode(locals.get(i), local.line, local.column));
            if (remote != null) {
                p.put("remotePort", new ConfigNode(remotes.get(i), remote.line, remote.column));
            }
            out.add(new ConfigNode(p, s.line, 1));
        }
        return out;
    }

    private static Entry entry(Section s, String key) {
        for (Entry e : s.entries) {
            if (e.key.equals(key)) {
                return e;
            }
        }
        return null;
    }

    private static List<Long> ports(Entry e, String file, List<ConfigProblem> problems) {
        List<Long> out = new ArrayList<>();
        for (int[] r : PortRanges.parse(e.value, bad -> problems.add(new ConfigProblem(file, e.line, e.column, e.key,
                "\"" + bad + "\" (expected: a port or a range such as 6000-6006)")))) {
            for (long port = r[0]; port <= r[1]; port++) {
                out.add(port);
            }
        }
        return out;
    }

    /** frp's INI names of plugin parameters ({@code plugin_local_addr}) and their v1 keys. */
    private static final Map<String, String> PLUGIN_PARAMS = Map.ofEntries(Map.entry("local_addr", "localAddr"),
            Map.entry("host_header_rewrite", "hostHeaderRewrite"), Map.entry("crt_path", "crtPath"),
            Map.entry("key_path", "keyPath"), Map.entry("unix_path", "unixPath"), Map.entry("http_user", "httpUser"),
            Map.entry("http_passwd", "httpPassword"), Map.entry("user", "username"), Map.entry("passwd", "password"),
            Map.entry("local_path", "localPath"), Map.entry("strip_prefix", "stripPrefix"));

    private static ConfigNode plugin(Section s) {
        Map<String, ConfigNode> p = named(s.name.substring("plugin.".length()), s.line);
        for (Entry e : s.entries) {
            String key = switch (e.key) {
                case "tls_verify" -> "tlsVerify";
                default -> e.key;
            };
            Object v = key.equals("ops") ? typed(e.value, 'l') : key.equals("tlsVerify") ? typed(e.value, 'b') : e.value;
            p.put(key, new ConfigNode(v, e.line, e.column));
        }
        return new ConfigNode(p, s.line, 1);
    }

    private static String closest(String key, Iterable<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = KeySuggestions.distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? best : null;
    }
}
