package io.jfrp.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * {@code transport.protocol = "auto"}: the transport that last carried a session to a server is kept
 * (in the state file) and tried first at the next start, so a network that blocks one is not probed
 * for it at every start. Called on the control loop, but for {@link #keptBy}.
 */
final class AutoTransport {

    private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);

    /** Where the transport that last worked is kept between runs (the state file). */
    interface Keeper {
        void keep(String protocol) throws IOException;
    }

    private volatile Keeper keeper;

    void keptBy(Keeper k) {
        keeper = k;
    }

    /**
     * Puts {@code kept}, the transport that last reached {@code server}, first in {@code choice}.
     * @return whether the choice changed
     */
    static boolean startWith(String kept, ChannelChoice choice, String server) {
        for (int i = 0; kept != null && i < choice.size(); i++) {
            if (choice.get(i).protocol().equals(kept) && i != choice.index()) {
                log.info("transport.protocol = auto: trying {} first, the transport that last reached {}", kept, server);
                choice.moveTo(i);
                return true;
            }
        }
        return false;
    }

    /** A session is on {@code protocol}: kept for the next start. */
    void carried(String protocol) {
        Keeper k = keeper;
        if (k != null) {
            try {
                k.keep(protocol);
            } catch (IOException e) {
                log.warn("cannot keep the transport that worked in the state file: {}", e.getMessage());
            }
        }
    }
}
