package io.jfrp.server;

import io.netty.channel.EventLoop;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions by runId (attached or waiting for their client) and which proxy names are taken. */
final class SessionRegistry {

    private final ConcurrentHashMap<String, ClientSession> byRunId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ClientSession> proxyNames = new ConcurrentHashMap<>();
    /**
     * The names each session holds: a session's end releases its own, where a scan of every name made
     * 10,000 sessions ending together (a server stopping, a storm of reconnects) cost O(n^2).
     */
    private final ConcurrentHashMap<ClientSession, java.util.Set<String>> namesOf = new ConcurrentHashMap<>();

    /** What a login found: its session, none because another owns the runId, or none because its user is full. */
    record Found(ClientSession session, boolean userFull) {
    }

    /**
     * The live session of {@code runId} when the login proves it is that session's client ({@code owns}) for
     * the same user, a new one on {@code loop} when there is none; no session when a live one holds the runId
     * and the login cannot prove it is its own: a runId is an identifier, and knowing it takes nothing.
     */
    Found sessionFor(ServerRuntime rt, String runId, String user, UserAccounts.Account account, EventLoop loop,
                     java.util.function.Predicate<ClientSession> owns) {
        ClientSession[] made = new ClientSession[1];
        boolean[] full = new boolean[1];
        ClientSession s = byRunId.compute(runId, (k, old) -> {
            if (old == null || old.isClosed()) {
                if (account != null && !account.openSession()) {
                    full[0] = true;
                    return old;
                }
                made[0] = new ClientSession(rt, runId, user, account, loop);
                return made[0];
            }
            return old;
        });
        if (full[0]) {
            return new Found(null, true);
        }
        if (s == made[0]) {
            return new Found(s, false);
        }
        return new Found(s.user.equals(user) && owns.test(s) ? s : null, false);
    }

    void unregister(ClientSession s) {
        byRunId.remove(s.runId, s);
        java.util.Set<String> names = namesOf.remove(s);
        if (names != null) {
            names.forEach(name -> proxyNames.remove(name, s));
        }
    }

    /** @return null when the name is now this session's, else the session that holds it */
    ClientSession claimName(String name, ClientSession s) {
        ClientSession owner = proxyNames.putIfAbsent(name, s);
        if (owner == null) {
            namesOf.computeIfAbsent(s, k -> ConcurrentHashMap.newKeySet()).add(name);
        }
        return owner == null || owner == s ? null : owner;
    }

    /** The session that holds proxy {@code name}; null when none does. */
    ClientSession nameOwner(String name) {
        return proxyNames.get(name);
    }

    void releaseName(String name, ClientSession s) {
        if (proxyNames.remove(name, s)) {
            java.util.Set<String> names = namesOf.get(s);
            if (names != null) {
                names.remove(name);
            }
        }
    }

    Collection<ClientSession> sessions() {
        return byRunId.values();
    }
}
