package io.jfrp.server;

import io.netty.channel.EventLoop;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions by runId (attached or waiting for their client) and which proxy names are taken. */
final class SessionRegistry {

    private final ConcurrentHashMap<String, ClientSession> byRunId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ClientSession> proxyNames = new ConcurrentHashMap<>();

    /** The live session of {@code runId} for {@code user}, or a new one on {@code loop}. */
    ClientSession sessionFor(ServerRuntime rt, String runId, String user, EventLoop loop) {
        ClientSession[] replaced = new ClientSession[1];
        ClientSession s = byRunId.compute(runId, (k, old) -> {
            if (old != null && !old.isClosed() && old.user.equals(user)) {
                return old;
            }
            replaced[0] = old;
            return new ClientSession(rt, runId, user, loop);
        });
        if (replaced[0] != null && !replaced[0].isClosed()) {
            ClientSession old = replaced[0];
            old.onLoop(() -> old.close("replaced by a login with the same runId for another user"));
        }
        return s;
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
