package io.jfrp.app;

import io.jfrp.client.JfrpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP asks a running jfrpc to read its config file again, as {@code jfrpc reload} does through the
 * admin API (which need not be on): an invalid file changes nothing, and the log says why. The JDK has no
 * supported API for signals; sun.misc.Signal is the one every JVM on Linux keeps, and where it is
 * missing jfrpc runs on without it.
 */
final class ReloadSignal {

    private static final Logger log = LoggerFactory.getLogger("jfrpc");

    private ReloadSignal() {
    }

    static void install(JfrpClient client) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                // Not on the signal's thread: reading and applying the file takes a moment.
                Thread t = new Thread(() -> reload(client), "jfrpc-sighup");
                t.setDaemon(true);
                t.start();
            });
        } catch (IllegalArgumentException | LinkageError e) {
            log.debug("SIGHUP cannot be handled here: {}", e.toString());
        }
    }

    private static void reload(JfrpClient client) {
        try {
            log.info("reload on SIGHUP: {}", client.reloadFile());
        } catch (IllegalArgumentException e) {
            log.warn("reload on SIGHUP refused, nothing changed: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("reload on SIGHUP failed: {}", e.toString());
        }
    }
}
