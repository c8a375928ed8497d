package io.jfrp.core.log;

import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The process's log level, changed while it runs (a reload, {@code jfrpc log-level}). SLF4J has no way
 * to set a level, and the libraries must not depend on the logging backend: the command line installs
 * the setter of the backend it configured. Logging is one per process, so this is too.
 */
public final class LogLevel {

    /** frp's levels. */
    public static final Set<String> NAMES = Set.of("trace", "debug", "info", "warn", "error");

    private static volatile Consumer<String> setter;
    private static volatile String current = "info";

    private LogLevel() {
    }

    /** Called once by the command line, with the level it configured at start. */
    public static void install(Consumer<String> backend, String level) {
        setter = backend;
        current = normalize(level);
    }

    /** The level set last (at start, or since). */
    public static String current() {
        return current;
    }

    /**
     * @return the level's name as applied; empty when nothing is installed (an embedding application
     *         keeps its own logging)
     * @throws IllegalArgumentException for a name that is not one of {@link #NAMES}
     */
    public static java.util.Optional<String> set(String level) {
        String l = normalize(level);
        if (!NAMES.contains(l)) {
            throw new IllegalArgumentException("log level \"" + PeerText.escape(level) + "\" is not one of trace, debug, "
                    + "info, warn, error");
        }
        Consumer<String> s = setter;
        if (s == null) {
            return java.util.Optional.empty();
        }
        s.accept(l);
        current = l;
        return java.util.Optional.of(l);
    }

    private static String normalize(String level) {
        return level == null ? "" : level.trim().toLowerCase(Locale.ROOT);
    }
}
