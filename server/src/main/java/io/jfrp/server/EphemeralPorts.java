package io.jfrp.server;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This host's range of ports for outgoing connections (Linux's ip_local_port_range). A proxy that asks
 * for a fixed port inside it may find the port taken by some outgoing connection while its client is
 * away: worth a warning when it is opened, not a refusal.
 */
record EphemeralPorts(int from, int to) {

    static final EphemeralPorts NONE = new EphemeralPorts(1, 0);

    static EphemeralPorts ofThisHost() {
        try {
            // By line: Files.readString of this /proc file returns its first byte alone ("3"), and the range
            // was never read (NONE, so the warning below never came).
            String[] parts = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim()
                    .split("\\s+");
            return new EphemeralPorts(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (Exception e) {
            return NONE; // not Linux, or not readable: nothing to warn about
        }
    }

    boolean contains(int port) {
        return port >= from && port <= to;
    }
}
