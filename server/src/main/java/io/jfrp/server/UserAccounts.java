package io.jfrp.server;

import io.jfrp.core.config.PortRanges;
import io.jfrp.core.config.ServerConfig;
import io.jfrp.core.config.ServerUser;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's {@code [[users]]} and what each holds now, across all its sessions (which live on
 * different loops: the counts are atomic). A client whose {@code user} is not one of them logs in with
 * auth.token, as frp's do, and has frp's per-client limits.
 */
final class UserAccounts {

    /** One user's settings and counts. */
    static final class Account {
        /** Its settings; a server reload that keeps the user's token may change its limits. */
        volatile ServerUser user;
        private final AtomicInteger sessions = new AtomicInteger();
        private final AtomicInteger ports = new AtomicInteger();
        /** User connections tunnelled now (streams both ends confirmed), over all the user's sessions. */
        private final AtomicInteger streams = new AtomicInteger();

        Account(ServerUser user) {
            this.user = user;
        }

        /** @return false when the user has maxSessions sessions already */
        boolean openSession() {
            return take(sessions, user.maxSessions());
        }

        void sessionClosed() {
            sessions.decrementAndGet();
        }

        /** @return false when the user has maxPorts ports open or opening already */
        boolean reservePort() {
            return take(ports, user.maxPorts());
        }

        void portReleased() {
            ports.decrementAndGet();
        }

        /**
         * Whether the user has maxStreams connections tunnelled already: a new one is refused. Streams
         * still being opened are not counted, so a burst may pass the limit by those in flight; each is
         * bounded by the user timeout.
         */
        boolean streamsFull() {
            return user.maxStreams() > 0 && streams.get() >= user.maxStreams();
        }

        void streamOpened() {
            streams.incrementAndGet();
        }

        void streamClosed() {
            streams.decrementAndGet();
        }

        int ports() {
            return ports.get();
        }

        PortRanges allowPorts(ServerConfig c) {
            return user.allowPorts() != null ? user.allowPorts() : c.allowPorts();
        }

        private static boolean take(AtomicInteger count, int max) {
            while (true) {
                int n = count.get();
                if (max > 0 && n >= max) {
                    return false;
                }
                if (count.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }
    }

    /** Replaced whole by a reload: a login reads one table or the other, never half of each. */
    private volatile Map<String, Account> byName;

    UserAccounts(ServerConfig config) {
        Map<String, Account> m = new HashMap<>();
        for (ServerUser u : config.users()) {
            m.put(u.name(), new Account(u));
        }
        byName = m;
    }

    /** The account of a login's {@code user}; null for a client of auth.token. */
    Account find(String user) {
        return byName.get(user);
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }

    /**
     * The users of a reloaded config. A user whose token is unchanged keeps its account (and its counts;
     * its limits are the new ones); a new token, or a user gone, means a new account or none, so the
     * sessions of the old one no longer match {@link #find} and are closed by the reload.
     */
    void reload(ServerConfig config) {
        Map<String, Account> old = byName;
        Map<String, Account> m = new HashMap<>();
        for (ServerUser u : config.users()) {
            Account a = old.get(u.name());
            if (a != null && a.user.token().equals(u.token())) {
                a.user = u;
            } else {
                a = new Account(u);
            }
            m.put(u.name(), a);
        }
        byName = m;
    }
}
