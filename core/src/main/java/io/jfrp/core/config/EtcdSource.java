package io.jfrp.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code configSource.etcd} (jfrp): a client also takes proxies, a server users, from every key under
 * {@code prefix} of an etcd cluster, each key a document of {@code [[proxies]]} (or {@code [[users]]}) as
 * an included file would be (TOML, YAML or JSON by the key's ending, else by content), watched and
 * applied as a reload is.
 * {@code user}/{@code password} for etcd's auth; {@code tls.*} for an etcd behind TLS (its CA, and a
 * client certificate when it asks for one).
 */
public record EtcdSource(List<String> endpoints, String prefix, String user, String password, Path trustedCaFile,
                         Path certFile, Path keyFile) {

    public EtcdSource {
        endpoints = List.copyOf(endpoints);
    }

    /** @return null when the config sets no configSource.etcd.endpoints */
    static EtcdSource read(ConfigSection s) {
        List<String> endpoints = s.strings("configSource.etcd.endpoints");
        if (endpoints.isEmpty()) {
            for (String k : List.of("prefix", "user", "password", "tls.trustedCaFile", "tls.certFile", "tls.keyFile")) {
                if (s.has("configSource.etcd." + k)) {
                    s.problem("configSource.etcd." + k, s.node("configSource.etcd." + k),
                            "is set without configSource.etcd.endpoints (expected: the etcd endpoints too)");
                }
            }
            return null;
        }
        for (String e : endpoints) {
            if (!e.startsWith("http://") && !e.startsWith("https://")) {
                s.problem("configSource.etcd.endpoints", s.node("configSource.etcd.endpoints"),
                        "\"" + e + "\" (expected: http://HOST:PORT or https://HOST:PORT)");
            }
        }
        String prefix = s.string("configSource.etcd.prefix", "");
        if (prefix.isEmpty()) {
            s.problem("configSource.etcd.prefix", s.node("configSource.etcd.endpoints"),
                    "is missing (expected: the key prefix whose keys hold a client's [[proxies]] or a server's [[users]], "
                            + "such as \"/jfrp/office/\")");
        }
        String user = s.string("configSource.etcd.user", "");
        String password = s.string("configSource.etcd.password", "");
        if (user.isEmpty() != password.isEmpty()) {
            s.problem(user.isEmpty() ? "configSource.etcd.password" : "configSource.etcd.user",
                    s.node(user.isEmpty() ? "configSource.etcd.password" : "configSource.etcd.user"),
                    "is set alone (expected: configSource.etcd.user and configSource.etcd.password together)");
        }
        Path ca = s.existingFile("configSource.etcd.tls.trustedCaFile");
        Path cert = s.existingFile("configSource.etcd.tls.certFile");
        Path key = s.existingFile("configSource.etcd.tls.keyFile");
        if ((cert == null) != (key == null)) {
            s.problem("configSource.etcd.tls.certFile", s.node(cert == null ? "configSource.etcd.tls.keyFile"
                    : "configSource.etcd.tls.certFile"), "a client certificate needs both tls.certFile and tls.keyFile");
        }
        return new EtcdSource(endpoints, prefix, user, password, ca, cert, key);
    }

    /** For the log: where, without the password. */
    public String describe() {
        return "etcd " + String.join(",", endpoints) + " prefix " + prefix + (user.isEmpty() ? "" : " as " + user);
    }
}
