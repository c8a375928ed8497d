package io.jfrp.client;

/** The control loop's states; every transition is logged once with its cause. */
public enum ClientState {
    CONNECTING,
    CONNECTED,
    RECONNECTING,
    CIRCUIT_OPEN,
    STOPPED
}
