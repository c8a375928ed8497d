package io.jfrp.core.admin;

import java.lang.management.ManagementFactory;

/** The file descriptors this process has open and may open (metrics, doctors); null where the JVM cannot say. */
public record Descriptors(long open, long limit) {

    public static Descriptors now() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return new Descriptors(os.getOpenFileDescriptorCount(), os.getMaxFileDescriptorCount());
        }
        return null;
    }
}
