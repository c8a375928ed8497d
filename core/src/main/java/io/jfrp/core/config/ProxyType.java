package io.jfrp.core.config;

import java.util.Optional;

/** frp's proxy types, by the name a config file and the wire use; {@link #served} ones jfrp runs today. */
public enum ProxyType {
    TCP("tcp", true),
    UDP("udp", true),
    HTTP("http", true),
    HTTPS("https", true),
    TCPMUX("tcpmux", true),
    STCP("stcp", false),
    SUDP("sudp", false),
    XTCP("xtcp", false);

    private final String configName;
    private final boolean served;

    ProxyType(String configName, boolean served) {
        this.configName = configName;
        this.served = served;
    }

    /** The name as a config file and the wire spell it ({@code "tcp"}). */
    public String configName() {
        return configName;
    }

    /** Whether proxies of this type share a server port and are told apart by name (http, https, tcpmux). */
    public boolean routedByName() {
        return this == HTTP || this == HTTPS || this == TCPMUX;
    }

    /** Whether jfrp runs proxies of this type yet; the others are frp's, refused with a clear reason. */
    public boolean served() {
        return served;
    }

    public static Optional<ProxyType> of(String configName) {
        for (ProxyType t : values()) {
            if (t.configName.equals(configName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return configName;
    }
}
