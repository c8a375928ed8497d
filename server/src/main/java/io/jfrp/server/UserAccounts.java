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
        final ServerUser user;
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

    private final Map<String, Account> byName = new HashMap<>();

    UserAccounts(ServerConfig config) {
        for (ServerUser u : config.users()) {
            byName.put(u.name(), new Account(u));
        }
    }

    /** The account of a login's {@code user}; null for a client of auth.token. */
    Account find(String user) {
        return byName.get(user);
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }
}
