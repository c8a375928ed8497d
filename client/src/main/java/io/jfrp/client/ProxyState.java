package io.jfrp.client;

import java.util.Locale;

/** Where one proxy of the client stands with the server. */
public enum ProxyState {
    /** Not registered yet on the current channel: no channel, or the server has not answered. */
    PENDING,
    /** The server listens for it on a public port. */
    RUNNING,
    /** The server said no (a name or port taken, a port not allowed); the reason is the proxy's last error. */
    REFUSED,
    /** Its local service fails its health check: withdrawn from the server until the check passes again. */
    CHECK_FAILED;

    /** The word the admin API and {@code jfrpc status} show ({@code running}; frp's {@code check failed}). */
    public String statusName() {
        return this == CHECK_FAILED ? "check failed" : name().toLowerCase(Locale.ROOT);
    }
}
