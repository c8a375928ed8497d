package io.jfrp.server;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** Who is logged in (by runId) and which proxy names are taken, server-wide. */
final class SessionRegistry {

    private final ConcurrentHashMap<String, ClientSession> byRunId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ClientSession> proxyNames = new ConcurrentHashMap<>();

    /** @return the session this one replaces, if a client with the same runId was still registered */
    ClientSession register(ClientSession s) {
        return byRunId.put(s.runId, s);
    }

    void unregister(ClientSession s) {
        byRunId.remove(s.runId, s);
        proxyNames.values().removeIf(owner -> owner == s);
    }

    /** @return null when the name is now this session's, else the session that holds it */
    ClientSession claimName(String name, ClientSession s) {
        ClientSession owner = proxyNames.putIfAbsent(name, s);
        return owner == null || owner == s ? null : owner;
    }

    void releaseName(String name, ClientSession s) {
        proxyNames.remove(name, s);
    }

    Collection<ClientSession> sessions() {
        return byRunId.values();
    }
}
