package io.jfrp.app;

import io.jfrp.client.Diagnosis;
import io.jfrp.core.doctor.Check;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** doctor fails on what the running client reports: a lost connection, and every proxy its server refused. */
class DoctorRunningClientTest {

    @Test
    void aRefusedProxyOfTheRunningClientIsAFailureOfItsOwn() {
        Map<String, Object> status = Map.of("state", "CONNECTED", "lastError", "", "proxies", List.of(
                Map.of("name", "web", "state", "running", "lastError", ""),
                Map.of("name", "ssh", "state", "refused", "lastError", "port 6000 is already in use (asking again in 4s)")));
        List<Check> checks = DoctorCommand.runningChecks(status, "frpc.toml");
        assertThat(checks).filteredOn(c -> !c.ok()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("proxy ssh");
            assertThat(c.detail()).contains("port 6000 is already in use");
        });
        assertThat(DoctorCommand.runningChecks(Map.of("state", "RECONNECTING", "lastError", "refused", "proxies", List.of()),
                "frpc.toml")).singleElement().satisfies(c -> assertThat(c.ok()).isFalse());
    }
}
