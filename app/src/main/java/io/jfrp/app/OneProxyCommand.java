package io.jfrp.app;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ConfigException;
import io.jfrp.core.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * frp's one-line client, {@code frpc tcp -s ADDR -P 7000 -t TOKEN -l 22 -r 6000 -n ssh}: one proxy of
 * this command's type, and the client settings, from flags. They are checked as a file would be, so
 * a type jfrp does not run yet is refused with the same words. The runId is not kept (no state file).
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "Run one proxy of this type from flags alone, as frp's one-line client does.")
final class OneProxyCommand implements Callable<Integer> {

    /** The one-line commands frp has, one per proxy type. */
    static final List<String> TYPES = List.of("tcp", "udp", "http", "https", "tcpmux", "stcp", "sudp", "xtcp");

    private final String type;

    @Option(names = {"-s", "--server-addr", "--server_addr"}, paramLabel = "ADDR", description = "serverAddr (127.0.0.1)")
    String serverAddr = "127.0.0.1";
    @Option(names = {"-P", "--server-port", "--server_port"}, paramLabel = "PORT", description = "serverPort (7000)")
    int serverPort = 7000;
    @Option(names = {"-p", "--protocol"}, paramLabel = "PROTOCOL", description = "transport.protocol")
    String protocol;
    @Option(names = {"-t", "--token"}, paramLabel = "TOKEN", description = "auth.token")
    String token;
    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "user")
    String user;
    @Option(names = {"--log-level", "--log_level"}, paramLabel = "LEVEL", description = "log.level")
    String logLevel;
    @Option(names = {"--log-file", "--log_file"}, paramLabel = "FILE", description = "log.to")
    String logFile;
    @Option(names = {"--log-max-days", "--log_max_days"}, paramLabel = "DAYS", description = "log.maxDays")
    Long logMaxDays;
    @Option(names = {"--disable-log-color", "--disable_log_color"}, description = "log.disablePrintColor")
    Boolean disableLogColor;
    @Option(names = {"--tls-enable", "--tls_enable"}, paramLabel = "BOOL", arity = "0..1", description = "transport.tls.enable")
    Boolean tlsEnable;
    @Option(names = {"--tls-server-name", "--tls_server_name"}, paramLabel = "NAME", description = "transport.tls.serverName")
    String tlsServerName;
    @Option(names = {"--dns-server", "--dns_server"}, paramLabel = "ADDR", description = "dnsServer")
    String dnsServer;

    @Option(names = {"-n", "--proxy-name", "--proxy_name"}, paramLabel = "NAME", description = "the proxy's name")
    String name;
    @Option(names = {"-i", "--local-ip", "--local_ip"}, paramLabel = "IP", description = "localIP (127.0.0.1)")
    String localIp;
    @Option(names = {"-l", "--local-port", "--local_port"}, paramLabel = "PORT", description = "localPort")
    Integer localPort;
    @Option(names = {"-r", "--remote-port", "--remote_port"}, paramLabel = "PORT", description = "remotePort")
    Integer remotePort;
    @Option(names = {"--ue"}, description = "transport.useEncryption")
    Boolean useEncryption;
    @Option(names = {"--uc"}, description = "transport.useCompression")
    Boolean useCompression;
    @Option(names = {"-d", "--custom-domain", "--custom_domain"}, paramLabel = "DOMAIN", split = ",", description = "customDomains")
    List<String> customDomains;
    @Option(names = {"--sd"}, paramLabel = "SUBDOMAIN", description = "subdomain")
    String subdomain;
    @Option(names = {"--locations"}, paramLabel = "PATH", split = ",", description = "locations (http)")
    List<String> locations;
    @Option(names = {"--http-user", "--http_user"}, paramLabel = "USER", description = "httpUser (http)")
    String httpUser;
    @Option(names = {"--http-pwd", "--http_pwd"}, paramLabel = "PASSWORD", description = "httpPassword (http)")
    String httpPassword;
    @Option(names = {"--host-header-rewrite", "--host_header_rewrite"}, paramLabel = "HOST",
            description = "hostHeaderRewrite (http)")
    String hostHeaderRewrite;
    @Option(names = {"--sk"}, paramLabel = "KEY", description = "secretKey")
    String secretKey;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    OneProxyCommand(String type) {
        this.type = type;
    }

    Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("serverAddr", serverAddr);
        s.put("serverPort", serverPort);
        ServerFlags.put(s, "transport.protocol", protocol);
        ServerFlags.put(s, "auth.token", token);
        ServerFlags.put(s, "user", user);
        ServerFlags.put(s, "log.level", logLevel);
        ServerFlags.put(s, "log.to", logFile);
        ServerFlags.put(s, "log.maxDays", logMaxDays);
        ServerFlags.put(s, "log.disablePrintColor", disableLogColor);
        ServerFlags.put(s, "transport.tls.enable", tlsEnable);
        ServerFlags.put(s, "transport.tls.serverName", tlsServerName);
        ServerFlags.put(s, "dnsServer", dnsServer);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name == null ? type : name);
        p.put("type", type);
        ServerFlags.put(p, "localIP", localIp);
        ServerFlags.put(p, "localPort", localPort);
        ServerFlags.put(p, "remotePort", remotePort);
        ServerFlags.put(p, "transport.useEncryption", useEncryption);
        ServerFlags.put(p, "transport.useCompression", useCompression);
        ServerFlags.put(p, "customDomains", customDomains == null ? null : new ArrayList<Object>(customDomains));
        ServerFlags.put(p, "subdomain", subdomain);
        ServerFlags.put(p, "locations", locations == null ? null : new ArrayList<Object>(locations));
        ServerFlags.put(p, "httpUser", httpUser);
        ServerFlags.put(p, "httpPassword", httpPassword);
        ServerFlags.put(p, "hostHeaderRewrite", hostHeaderRewrite);
        ServerFlags.put(p, "secretKey", secretKey);
        s.put("proxies", List.of(p));
        return s;
    }

    @Override
    public Integer call() throws Exception {
        ConfigLoader.Loaded<ClientConfig> loaded;
        try {
            loaded = ConfigLoader.clientFromFlags(settings());
        } catch (ConfigException e) {
            return ConfigOption.printProblems(spec, e);
        }
        return ClientCommand.run(spec, new ConfigLoader.Loaded<>(loaded.config().withStateFile(null), loaded.warnings()));
    }
}
