package io.jfrp.client;

import io.jfrp.core.config.ProxyConfig;

import java.nio.file.Path;
import java.util.Collection;

/** What the admin API may ask of the client it serves. */
interface AdminActions {

    ClientStatus status();

    /** The proxies of the config in force, for their types and local addresses in the status. */
    Collection<ProxyConfig> proxies();

    /** The server's host as configured (serverAddr): frp's status shows each proxy's address on it. */
    String serverHost();

    /** The config file the client was started from; null when it was not started from a file. */
    Path configFile();

    /** Stops the client (its goodbye frees its ports on the server at once). */
    void stop();

    /**
     * Reads the config file again and applies its proxies.
     * @return what changed, for the caller
     * @throws IllegalArgumentException with every problem of the file, when it is not valid (nothing changes)
     */
    String reload();

    /** frp's store (store.path); null when the config sets none (its API then answers 404). */
    default io.jfrp.core.config.ProxyStore store() {
        return null;
    }

    /** Whether the config file has a proxy of this name (the store cannot take it). */
    default boolean inConfigFile(String name) {
        return false;
    }

    /** The store changed: applies its proxies beside the file's. @return what changed */
    default String storeChanged() {
        return "";
    }
}
