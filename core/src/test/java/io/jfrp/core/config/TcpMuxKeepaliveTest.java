package io.jfrp.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * frp turns heartbeats off under tcpMux and finds dead links by yamux's keepalive: such a config keeps
 * noticing a dead link as soon under jfrp, whose heartbeats take the keepalive's interval.
 */
class TcpMuxKeepaliveTest {

    @TempDir
    Path dir;

    private ConfigLoader.Loaded<ClientConfig> client(String text) throws Exception {
        Path p = dir.resolve("frpc.toml");
        Files.writeString(p, text);
        return ConfigLoader.load(p, Map.of(), LegacyIni.Side.CLIENT, ClientConfig::read);
    }

    @Test
    void heartbeatsOffUnderTcpMuxTakeTheKeepaliveInterval() throws Exception {
        ConfigLoader.Loaded<ClientConfig> l = client("""
                transport.tcpMux = true
                transport.tcpMuxKeepaliveInterval = 1
                transport.heartbeatInterval = -1
                transport.heartbeatTimeout = -1
                """);
        assertThat(l.config().heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(l.config().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(l.warnings()).anySatisfy(w -> assertThat(w).contains("frpc.toml:3:", "tcpMuxKeepaliveInterval (1s, timeout 3s)"));
        assertThat(l.warnings()).noneMatch(w -> w.contains("tcpMuxKeepaliveInterval has no effect"));
    }

    @Test
    void otherwiseTheKeepaliveHasNoEffectAndHeartbeatsKeepTheirOwnSettings() throws Exception {
        ConfigLoader.Loaded<ClientConfig> on = client("""
                transport.tcpMuxKeepaliveInterval = 1
                transport.heartbeatInterval = 2
                """);
        assertThat(on.config().heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(on.warnings()).anySatisfy(w -> assertThat(w).contains("tcpMuxKeepaliveInterval has no effect"));

        ConfigLoader.Loaded<ClientConfig> noMux = client("""
                transport.tcpMux = false
                transport.tcpMuxKeepaliveInterval = 1
                transport.heartbeatInterval = -1
                """);
        assertThat(noMux.config().heartbeatInterval()).as("jfrp's default").isEqualTo(Duration.ofSeconds(3));
    }
}
