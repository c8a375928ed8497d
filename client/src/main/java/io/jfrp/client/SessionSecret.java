package io.jfrp.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Arrays;

/**
 * The secret of this client's session on the server (what proves a resuming client is the one that
 * opened it), and where it is kept between runs: the state file.
 */
final class SessionSecret {

    private static final Logger log = LoggerFactory.getLogger(SessionSecret.class);

    /** Where the secret is kept between runs. */
    interface Keeper {
        void keep(byte[] secret) throws IOException;
    }

    private volatile byte[] secret;
    private volatile Keeper keeper;

    /** Starts from the secret kept by the last run (null: none), and keeps each new one with {@code keeper}. */
    void keptBy(byte[] kept, Keeper k) {
        secret = kept;
        keeper = k;
    }

    /** What the client must prove to resume its session; null before the server handed one out. */
    byte[] get() {
        return secret;
    }

    /** The server handed out (or confirmed) the session's secret. */
    void update(byte[] next) {
        if (next.length == 0 || Arrays.equals(next, secret)) {
            return;
        }
        secret = next;
        Keeper k = keeper;
        if (k != null) {
            try {
                k.keep(next);
            } catch (IOException e) {
                log.warn("cannot keep the session's secret in the state file ({}): a restarted client will open a new "
                        + "session instead of resuming this one", e.getMessage());
            }
        }
    }
}
