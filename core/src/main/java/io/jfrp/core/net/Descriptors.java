package io.jfrp.core.net;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file descriptors this process has open and may open, for the accept-failure log, the metrics and the
 * doctors. {@code open} is -1 when it cannot be counted: at the limit, counting needs a descriptor itself.
 * On Linux both come from /proc (the limit read once, at class initialisation, while files can still be
 * opened); the JDK's OperatingSystemMXBean would load ~50 management classes into every process, and a
 * native library that cannot load at the limit. Elsewhere the MXBean it is.
 */
public record Descriptors(long open, long limit) {

    private static final Logger log = LoggerFactory.getLogger(Descriptors.class);
    /** Where Linux lists the process's open files. */
    private static final Path FD_DIR = Path.of("/proc/self/fd");
    /** The soft limit from /proc/self/limits; -1 where there is none to read. */
    private static final long LIMIT = limitFromProc();
    /** The MXBean, only where there is no /proc to read; null where neither says anything. */
    private static final Object OS = Files.isDirectory(FD_DIR) ? null : operatingSystem();

    /** What the process has open now, and may; null where nothing can be told. */
    public static Descriptors now() {
        if (OS instanceof com.sun.management.UnixOperatingSystemMXBean u) {
            long max = u.getMaxFileDescriptorCount();
            try {
                return new Descriptors(u.getOpenFileDescriptorCount(), max);
            } catch (InternalError | RuntimeException e) {
                return new Descriptors(-1, max);
            }
        }
        if (OS != null || LIMIT < 0) {
            return null;
        }
        long open = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FD_DIR)) {
            for (Path ignored : fds) {
                open++;
            }
        } catch (IOException | RuntimeException e) {
            return new Descriptors(-1, LIMIT);
        }
        return new Descriptors(open - 1, LIMIT); // less the listing's own
    }

    private static long limitFromProc() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("no /proc/self/limits: {}", e.toString());
        }
        return -1;
    }

    private static Object operatingSystem() {
        try {
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean u) {
                u.getMaxFileDescriptorCount();
            }
            return os;
        } catch (RuntimeException | LinkageError e) {
            log.debug("file descriptor counts unavailable: {}", e.toString());
            return null;
        }
    }
}
