package io.jfrp.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * SIGHUP asks a running jfrpc or jfrps to read its config file again, as {@code reload} does through
 * the admin API (which need not be on): an invalid file changes nothing, and the log says why. The JDK
 * has no supported API for signals; sun.misc.Signal is the one every JVM on Linux keeps, and where it is
 * missing the process runs on without it.
 */
final class ReloadSignal {

    private ReloadSignal() {
    }

    /** @param reload reads and applies the file: what changed, or IllegalArgumentException with its problems */
    static void install(String program, Supplier<String> reload) {
        Logger log = LoggerFactory.getLogger(program);
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                // Not on the signal's thread: reading and applying the file takes a moment.
                Thread t = new Thread(() -> reload(log, reload), program + "-sighup");
                t.setDaemon(true);
                t.start();
            });
        } catch (IllegalArgumentException | LinkageError e) {
            log.debug("SIGHUP cannot be handled here: {}", e.toString());
        }
    }

    private static void reload(Logger log, Supplier<String> reload) {
        try {
            log.info("reload on SIGHUP: {}", reload.get());
        } catch (IllegalArgumentException e) {
            log.warn("reload on SIGHUP refused, nothing changed: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("reload on SIGHUP failed: {}", e.toString());
        }
    }
}
