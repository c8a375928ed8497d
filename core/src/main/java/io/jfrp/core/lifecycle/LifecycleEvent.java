package io.jfrp.core.lifecycle;

import io.jfrp.core.config.ProxyType;

import java.time.Duration;

/**
 * One change in the life of a session (one client, by runId), of one of its proxies or of one of its
 * streams. Text a peer supplied (host names, reasons) is passed as received: whoever prints it escapes it.
 */
public sealed interface LifecycleEvent {

    /** The client's runId: the session the event belongs to. */
    String session();

    /** A client logged in with a runId the server had no session for. */
    record SessionEstablished(String session, String peer, String host, String user) implements LifecycleEvent {
    }

    /**
     * A client came back to the session it had, its proxies kept; {@code replacedPeer} is where its
     * previous channel, still open, came from (null when that channel had ended). With {@code joined}
     * that channel was not replaced: the client moved to a better one, and the previous one carries the
     * streams it has until they end (make before break).
     */
    record SessionResumed(String session, String peer, String host, String replacedPeer, int proxiesKept,
                          int usersWaiting, boolean joined)
            implements LifecycleEvent {
        public SessionResumed(String session, String peer, String host, String replacedPeer, int proxiesKept,
                              int usersWaiting) {
            this(session, peer, host, replacedPeer, proxiesKept, usersWaiting, false);
        }
    }

    /**
     * The session's channel ended without a goodbye; the session waits {@code grace} for the client,
     * holding user connections meanwhile ({@code usersHeld}) or refusing them (its connection was closed).
     */
    record SessionLost(String session, String peer, String reason, int proxiesKept, Duration grace, boolean usersHeld)
            implements LifecycleEvent {
    }

    /** The session is over: its proxies closed, its name and runId free. */
    record SessionClosed(String session, String reason, int proxiesClosed) implements LifecycleEvent {
    }

    /** {@code annotations}: frp's, as the client sent them (on the server; empty on the client's side). */
    record ProxyOpened(String session, String proxy, ProxyType type, int port, java.util.Map<String, String> annotations)
            implements LifecycleEvent {
        public ProxyOpened {
            annotations = java.util.Map.copyOf(annotations);
        }

        public ProxyOpened(String session, String proxy, ProxyType type, int port) {
            this(session, proxy, type, port, java.util.Map.of());
        }
    }

    record ProxyRefused(String session, String proxy, String reason) implements LifecycleEvent {
    }

    record ProxyClosed(String session, String proxy, int port, String reason) implements LifecycleEvent {
    }

    /** Both ends of a stream are connected: the user's and the local service's. */
    record StreamOpened(String session, String proxy, int streamId, String userAddress) implements LifecycleEvent {
    }

    /** A user connection that never became a stream: the far side refused it or did not answer in time. */
    record StreamRefused(String session, String proxy, String userAddress, String reason) implements LifecycleEvent {
    }

    /**
     * An opened stream ended. {@code broken}: it ended by a reset or a lost carrier, not by a FIN each
     * way. Bytes are counted on this side: {@code bytesIn} arrived from the peer, {@code bytesOut} left for it.
     */
    record StreamClosed(String session, String proxy, int streamId, long bytesIn, long bytesOut, boolean broken)
            implements LifecycleEvent {
    }
}
