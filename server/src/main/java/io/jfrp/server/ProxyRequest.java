package io.jfrp.server;

import io.jfrp.core.config.ProxyType;

/** A client asks for proxy {@code name} (its own name, not yet qualified by user); port 0: any. */
record ProxyRequest(String name, ProxyType type, int remotePort, java.util.Map<String, String> annotations,
                    java.util.List<String> customDomains, String subdomain, java.util.Map<String, String> options) {

    String option(String key) {
        return options.getOrDefault(key, "");
    }

    /** The options whose keys start with {@code prefix}, by the rest of their keys. */
    java.util.Map<String, String> optionsUnder(String prefix) {
        return io.jfrp.protocol.Message.NewProxy.optionsUnder(options, prefix);
    }
}
