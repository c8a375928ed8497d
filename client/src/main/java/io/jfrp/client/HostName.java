package io.jfrp.client;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** This host's name, sent to the server for its log. */
final class HostName {

    private HostName() {
    }

    /**
     * The kernel's name for this host, without the DNS lookup {@code InetAddress.getLocalHost()} makes
     * (seconds on a host whose name does not resolve); that lookup only where /proc is not there.
     */
    static String read() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the JDK
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
