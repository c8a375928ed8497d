package io.jfrp.server;

/**
 * The client at the far end of a session's channel, as the session and its ports see it: what they
 * tell it, in words of their own. {@link JfrpClientPeer} says it in jfrp's protocol; frp's protocol
 * would be another implementation, and nothing in {@link ClientSession} or {@link ProxyPorts} changes.
 * Called on the session's loop.
 */
interface ClientPeer {

    /** Where the client connects from, for the log. */
    String address();

    /**
     * The login is accepted; {@code resumed} when the client returns to the session it had, and
     * {@code sessionSecret} is what a later login must prove to resume this session.
     */
    void welcome(String runId, boolean resumed, byte[] sessionSecret);

    /** Proxy {@code name} (as the client named it) listens on {@code port}. */
    void proxyOpened(String name, int port);

    void proxyRefused(String name, ProxyRefusal why, String reason);

    /** Tells the client why, then closes its channel. */
    void dismiss(Dismissal why, String reason);

    /** Why a session sends its client away. */
    enum Dismissal {
        /** Another login of the same runId took the session. */
        REPLACED,
        /** The session ended (the server stops, or the session was closed); the client may log in anew. */
        SESSION_OVER,
        /** The session ended while this login was being accepted: log in again. */
        LOGIN_TOO_LATE
    }
}
