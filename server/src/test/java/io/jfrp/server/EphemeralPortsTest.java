package io.jfrp.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The host's range for outgoing connections, which a fixed proxy port inside it is warned about. */
class EphemeralPortsTest {

    @Test
    void onLinuxTheRangeIsReadWhole() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(range), "not Linux");
        String[] expected = Files.readAllLines(range).get(0).trim().split("\\s+");
        EphemeralPorts ports = EphemeralPorts.ofThisHost();
        assertThat(ports).isEqualTo(new EphemeralPorts(Integer.parseInt(expected[0]), Integer.parseInt(expected[1])));
        assertThat(ports.contains(ports.from())).isTrue();
        assertThat(ports.contains(ports.from() - 1)).isFalse();
    }
}
