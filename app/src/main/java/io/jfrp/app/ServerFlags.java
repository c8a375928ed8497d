package io.jfrp.app;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * frps's root flags ({@code frps -p 7000 -t TOKEN}), used when no -c is given, as frp does. Each names
 * the v1 key it sets; the settings then go through the same checks as a file. frp writes them with '_'
 * or '-' between words; both are accepted.
 */
final class ServerFlags {

    @Option(names = {"--bind-addr", "--bind_addr"}, paramLabel = "ADDR", description = "bindAddr")
    String bindAddr;
    @Option(names = {"-p", "--bind-port", "--bind_port"}, paramLabel = "PORT", description = "bindPort")
    Integer bindPort;
    @Option(names = {"--kcp-bind-port", "--kcp_bind_port"}, paramLabel = "PORT", description = "kcpBindPort")
    Integer kcpBindPort;
    @Option(names = {"--quic-bind-port", "--quic_bind_port"}, paramLabel = "PORT", description = "quicBindPort")
    Integer quicBindPort;
    @Option(names = {"--proxy-bind-addr", "--proxy_bind_addr"}, paramLabel = "ADDR", description = "proxyBindAddr")
    String proxyBindAddr;
    @Option(names = {"--vhost-http-port", "--vhost_http_port"}, paramLabel = "PORT", description = "vhostHTTPPort")
    Integer vhostHttpPort;
    @Option(names = {"--vhost-https-port", "--vhost_https_port"}, paramLabel = "PORT", description = "vhostHTTPSPort")
    Integer vhostHttpsPort;
    @Option(names = {"--vhost-http-timeout", "--vhost_http_timeout"}, paramLabel = "SECONDS", description = "vhostHTTPTimeout")
    Long vhostHttpTimeout;
    @Option(names = {"--dashboard-addr", "--dashboard_addr"}, paramLabel = "ADDR", description = "webServer.addr")
    String dashboardAddr;
    @Option(names = {"--dashboard-port", "--dashboard_port"}, paramLabel = "PORT", description = "webServer.port")
    Integer dashboardPort;
    @Option(names = {"--dashboard-user", "--dashboard_user"}, paramLabel = "USER", description = "webServer.user")
    String dashboardUser;
    @Option(names = {"--dashboard-pwd", "--dashboard_pwd"}, paramLabel = "PASSWORD", description = "webServer.password")
    String dashboardPwd;
    @Option(names = {"--enable-prometheus", "--enable_prometheus"}, description = "enablePrometheus")
    Boolean enablePrometheus;
    @Option(names = {"--log-file", "--log_file"}, paramLabel = "FILE", description = "log.to")
    String logFile;
    @Option(names = {"--log-level", "--log_level"}, paramLabel = "LEVEL", description = "log.level")
    String logLevel;
    @Option(names = {"--log-max-days", "--log_max_days"}, paramLabel = "DAYS", description = "log.maxDays")
    Long logMaxDays;
    @Option(names = {"--disable-log-color", "--disable_log_color"}, description = "log.disablePrintColor")
    Boolean disableLogColor;
    @Option(names = {"-t", "--token"}, paramLabel = "TOKEN", description = "auth.token")
    String token;
    @Option(names = {"--subdomain-host", "--subdomain_host"}, paramLabel = "HOST", description = "subDomainHost")
    String subdomainHost;
    @Option(names = {"--allow-ports", "--allow_ports"}, paramLabel = "RANGES", description = "allowPorts, as 2000-3000,3001")
    String allowPorts;
    @Option(names = {"--max-ports-per-client", "--max_ports_per_client"}, paramLabel = "N", description = "maxPortsPerClient")
    Long maxPortsPerClient;
    @Option(names = {"--tls-only", "--tls_only"}, description = "transport.tls.force")
    Boolean tlsOnly;

    /** The v1 settings of the flags that were given (the rest keep the config's defaults). */
    Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        put(s, "bindAddr", bindAddr);
        put(s, "bindPort", bindPort);
        put(s, "kcpBindPort", kcpBindPort);
        put(s, "quicBindPort", quicBindPort);
        put(s, "proxyBindAddr", proxyBindAddr);
        put(s, "vhostHTTPPort", vhostHttpPort);
        put(s, "vhostHTTPSPort", vhostHttpsPort);
        put(s, "vhostHTTPTimeout", vhostHttpTimeout);
        put(s, "webServer.addr", dashboardAddr);
        put(s, "webServer.port", dashboardPort);
        put(s, "webServer.user", dashboardUser);
        put(s, "webServer.password", dashboardPwd);
        put(s, "enablePrometheus", enablePrometheus);
        put(s, "log.to", logFile);
        put(s, "log.level", logLevel);
        put(s, "log.maxDays", logMaxDays);
        put(s, "log.disablePrintColor", disableLogColor);
        put(s, "auth.token", token);
        put(s, "subDomainHost", subdomainHost);
        put(s, "allowPorts", allowPorts);
        put(s, "maxPortsPerClient", maxPortsPerClient);
        put(s, "transport.tls.force", tlsOnly);
        return s;
    }

    static void put(Map<String, Object> s, String key, Object value) {
        if (value != null) {
            s.put(key, value);
        }
    }
}
