package io.jfrp.server;

import io.jfrp.core.config.ProxyType;

/** A client asks for proxy {@code name} (its own name, not yet qualified by user); port 0: any. */
record ProxyRequest(String name, ProxyType type, int remotePort, java.util.Map<String, String> annotations,
                    java.util.List<String> customDomains, String subdomain, java.util.Map<String, String> options) {

    /** The longest proxy name this server takes: names end up in logs, status pages and metrics' labels. */
    static final int MAX_NAME_LENGTH = 256;

    /** Why a client's proxy name is not one this server takes (null when it is): empty, too long, or with control characters. */
    static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "an empty proxy name";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "a proxy name of " + name.length() + " characters (this server's limit: " + MAX_NAME_LENGTH + ")";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "proxy name \"" + io.jfrp.core.log.PeerText.escape(name) + "\" holds control characters";
        }
        return null;
    }

    String option(String key) {
        return options.getOrDefault(key, "");
    }

    /** The options whose keys start with {@code prefix}, by the rest of their keys. */
    java.util.Map<String, String> optionsUnder(String prefix) {
        return io.jfrp.protocol.Message.NewProxy.optionsUnder(options, prefix);
    }
}
