package io.jfrp.app;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What `jfrpc status` prints of a running client's state. */
class StatusCommandTest {

    private static Map<String, Object> channel(String name, String protocol, String state, Object rtt, String error) {
        return Map.of("name", name, "protocol", protocol, "address", "10.0.0.1:7000", "proxy", "", "state", state,
                "rttMillis", rtt == null ? "" : rtt, "since", Instant.now().minusSeconds(90).toString(), "lastError", error);
    }

    private static String print(List<Object> channels) {
        Map<String, Object> s = Map.of("state", "CONNECTED", "since", Instant.now().toString(), "server", "10.0.0.1:7000",
                "rttMillis", 1.25, "reconnects", 2, "runId", "r1", "lastError", "", "channels", channels,
                "proxies", List.of(Map.of("name", "ssh", "type", "tcp", "state", "running", "remotePort", 6000,
                        "local", "127.0.0.1:22", "lastError", "")));
        StringWriter out = new StringWriter();
        StatusCommand.print(s, new PrintWriter(out));
        return out.toString();
    }

    @Test
    void oneChannelIsNamedOnTheServerLine() {
        String text = print(List.of(channel("server", "wss", "active", 1.25, "")));
        assertThat(text).contains("server 10.0.0.1:7000 via wss  CONNECTED").contains("rtt 1.25 ms")
                .doesNotContain("CHANNEL");
    }

    @Test
    void severalChannelsAreATableWithStateRoundTripAndWhy() {
        String text = print(List.of(channel("fibre", "tcp", "failed", null, "connection refused"),
                channel("lte", "quic", "active", 31.5, "")));
        assertThat(text).contains("CHANNEL  PROTOCOL  ADDRESS");
        assertThat(text.lines().filter(l -> l.startsWith("fibre")).findFirst().orElseThrow())
                .contains("tcp").contains("failed").contains("1m30s").endsWith("connection refused");
        assertThat(text.lines().filter(l -> l.startsWith("lte")).findFirst().orElseThrow())
                .contains("quic").contains("active").contains("31.50 ms");
    }
}
