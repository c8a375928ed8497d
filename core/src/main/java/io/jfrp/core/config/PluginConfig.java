package io.jfrp.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * frp's {@code [proxies.plugin]}: what the client puts between a proxy's streams and the service instead
 * of a plain connection to localIP:localPort. {@code localAddr} is the service ({@code host:port});
 * {@code crtPath}/{@code keyPath} the certificate a TLS-ending plugin shows users (null: one made for the
 * process); {@code hostHeaderRewrite} and {@code requestHeaders} edit requests of the HTTP plugins;
 * {@code unixPath} is the socket of {@code unix_domain_socket}; {@code user}/{@code password} what users
 * of {@code http_proxy}, {@code socks5} and {@code static_file} must give (empty: nothing), frp's
 * httpUser/httpPassword or username/password; {@code localPath} and {@code stripPrefix} are
 * {@code static_file}'s directory and the path prefix it serves it under.
 */
public record PluginConfig(String type, String localAddr, Path crtPath, Path keyPath, String hostHeaderRewrite,
                           Map<String, String> requestHeaders, String unixPath, String user, String password,
                           Path localPath, String stripPrefix) {

    /** The plugin types jfrp has. */
    public static final List<String> TYPES = List.of("http2http", "http2https", "https2http", "https2https", "tls2raw",
            "unix_domain_socket", "http_proxy", "socks5", "static_file");
    /** frp's other plugin types: named as not supported yet. */
    private static final List<String> LATER = List.of("virtual_net");

    public PluginConfig {
        requestHeaders = Map.copyOf(requestHeaders);
    }

    /** A plugin with a fixed service and no users of its own (the bridging ones). */
    public PluginConfig(String type, String localAddr, Path crtPath, Path keyPath, String hostHeaderRewrite,
                        Map<String, String> requestHeaders, String unixPath) {
        this(type, localAddr, crtPath, keyPath, hostHeaderRewrite, requestHeaders, unixPath, "", "", null, "");
    }

    /** Whether the plugin joins each user to the one service at {@code localAddr}. */
    public boolean bridges() {
        return !localAddr.isEmpty();
    }

    /** Whether users' bytes reach the plugin as TLS, which it ends. */
    public boolean endsTls() {
        return type.startsWith("https2") || type.equals("tls2raw");
    }

    /** Whether the plugin reads HTTP requests between users and a service (and so can edit them). */
    public boolean speaksHttp() {
        return type.startsWith("http") && !type.equals("http_proxy");
    }

    /** Whether the plugin's connection to the service is TLS. */
    public boolean dialsTls() {
        return type.endsWith("2https");
    }

    /** The plugin of a proxy's section, or null when it has none; problems are recorded on {@code s}. */
    static PluginConfig read(ConfigSection s, ProxyType proxyType) {
        if (!s.sets("plugin.type") && s.stringsUnder("plugin").isEmpty()) {
            return null;
        }
        String type = s.requiredString("plugin.type");
        if (type.isEmpty()) {
            s.stringsUnder("plugin");
            return null;
        }
        if (LATER.contains(type)) {
            s.problem("plugin.type", s.node("plugin.type"), "\"" + type + "\" is not supported by jfrp yet (supported: "
                    + String.join(", ", TYPES) + ")");
            // Its other keys are that plugin's: the one problem above says all there is to say.
            s.stringsUnder("plugin");
            return null;
        }
        if (!TYPES.contains(type)) {
            s.problem("plugin.type", s.node("plugin.type"), "\"" + type + "\" (expected: one of " + String.join(", ", TYPES) + ")");
            return null;
        }
        if (proxyType == ProxyType.UDP) {
            s.problem("plugin.type", s.node("plugin.type"), "set on a udp proxy (expected: plugins carry TCP streams)");
            return null;
        }
        String localAddr = "";
        String unixPath = "";
        String user = "";
        String password = "";
        Path localPath = null;
        String stripPrefix = "";
        if (type.equals("unix_domain_socket")) {
            unixPath = s.requiredString("plugin.unixPath");
        } else if (type.equals("http_proxy") || type.equals("static_file")) {
            user = s.string("plugin.httpUser", "");
            password = s.string("plugin.httpPassword", "");
            if (type.equals("static_file")) {
                String dir = s.requiredString("plugin.localPath");
                localPath = dir.isEmpty() ? null : Path.of(dir);
                if (localPath != null && !java.nio.file.Files.isDirectory(localPath)) {
                    s.problem("plugin.localPath", s.node("plugin.localPath"), "\"" + dir + "\" (expected: a directory; "
                            + localPath.toAbsolutePath() + " is not one)");
                }
                stripPrefix = s.string("plugin.stripPrefix", "").replaceAll("^/+|/+$", "");
            }
        } else if (type.equals("socks5")) {
            user = s.string("plugin.username", "");
            password = s.string("plugin.password", "");
        } else {
            localAddr = s.requiredString("plugin.localAddr");
            int colon = localAddr.lastIndexOf(':');
            if (!localAddr.isEmpty() && (colon <= 0 || !localAddr.substring(colon + 1).matches("[0-9]{1,5}")
                    || Integer.parseInt(localAddr.substring(colon + 1)) > 65535)) {
                s.problem("plugin.localAddr", s.node("plugin.localAddr"), "\"" + localAddr + "\" (expected: host:port)");
            }
        }
        Path crt = null;
        Path key = null;
        PluginConfig shape = new PluginConfig(type, "", null, null, "", Map.of(), "");
        if (shape.endsTls()) {
            crt = s.existingFile("plugin.crtPath");
            key = s.existingFile("plugin.keyPath");
            if (s.sets("plugin.crtPath") != s.sets("plugin.keyPath")) {
                s.problem(s.sets("plugin.crtPath") ? "plugin.keyPath" : "plugin.crtPath", null,
                        "missing (expected: crtPath and keyPath together, or neither for a certificate made at start)");
            }
        }
        String hostRewrite = "";
        Map<String, String> headers = Map.of();
        if (shape.speaksHttp()) {
            hostRewrite = s.string("plugin.hostHeaderRewrite", "");
            headers = s.stringsUnder("plugin.requestHeaders.set");
            s.noEffect("plugin.enableHTTP2", "jfrp's plugins speak HTTP/1.1 to users and services");
        }
        return new PluginConfig(type, localAddr, crt, key, hostRewrite, headers, unixPath, user, password, localPath,
                stripPrefix);
    }
}
