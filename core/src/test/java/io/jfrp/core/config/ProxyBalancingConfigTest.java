package io.jfrp.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** frp's loadBalancer and healthCheck keys, in TOML and legacy INI: frp's defaults, and each mistake named. */
class ProxyBalancingConfigTest {

    @TempDir
    Path dir;

    private ConfigLoader.Loaded<ClientConfig> load(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return ConfigLoader.client(f);
    }

    private List<String> problems(String text) throws IOException {
        Path f = dir.resolve("frpc.toml");
        Files.writeString(f, text);
        try {
            ConfigLoader.client(f);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems in " + text);
    }

    @Test
    void aGroupAndAnHttpCheckWithFrpsDefaults() throws Exception {
        ProxyConfig p = load("frpc.toml", """
                [[proxies]]
                name = "web"
                type = "http"
                localPort = 8080
                customDomains = ["example.com"]
                loadBalancer.group = "web"
                loadBalancer.groupKey = "123"
                healthCheck.type = "http"
                healthCheck.path = "/healthz"
                healthCheck.httpHeaders = [{ name = "Host", value = "svc.local" }]
                """).config().proxies().get(0);
        assertThat(p.balancing().group()).isEqualTo("web");
        assertThat(p.balancing().groupKey()).isEqualTo("123");
        HealthCheck c = p.balancing().check();
        assertThat(c.kind()).isEqualTo(HealthCheck.Kind.HTTP);
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.maxFailed()).isEqualTo(1);
        assertThat(c.httpHeaders()).containsExactly(Map.entry("Host", "svc.local"));
    }

    @Test
    void legacyIniKeysMapToTheSame() throws Exception {
        ProxyConfig p = load("frpc.ini", """
                [common]
                server_port = 7000
                [db]
                type = tcp
                local_port = 5432
                remote_port = 6000
                group = db
                group_key = k
                health_check_type = tcp
                health_check_interval_s = 2
                health_check_max_failed = 3
                health_check_timeout_s = 1
                """).config().proxies().get(0);
        assertThat(p.balancing()).isEqualTo(new ProxyBalancing("db", "k", new HealthCheck(HealthCheck.Kind.TCP, "",
                Duration.ofSeconds(2), Duration.ofSeconds(1), 3, Map.of())));
    }

    @Test
    void mistakesAreNamedWithTheirKeys() throws Exception {
        assertThat(problems("""
                [[proxies]]
                name = "dns"
                type = "udp"
                localPort = 53
                remotePort = 5353
                loadBalancer.group = "dns"
                healthCheck.type = "tcp"
                [[proxies]]
                name = "web"
                localPort = 80
                healthCheck.type = "http"
                healthCheck.intervalSecond = 5
                [[proxies]]
                name = "ssh"
                localPort = 22
                healthCheck.type = "icmp"
                healthCheck.maxFailed = -3
                """)).satisfiesExactlyInAnyOrder(
                s -> assertThat(s).contains("proxies[0].loadBalancer.group").contains("udp proxies cannot be grouped"),
                s -> assertThat(s).contains("proxies[0].healthCheck.type").contains("a udp proxy's service cannot be checked"),
                s -> assertThat(s).contains("proxies[1].healthCheck.path: missing"),
                s -> assertThat(s).contains("proxies[1].healthCheck.intervalSecond").contains("unknown key")
                        .contains("healthCheck.intervalSeconds"),
                s -> assertThat(s).contains("proxies[2].healthCheck.type").contains("tcp, http"),
                s -> assertThat(s).contains("proxies[2].healthCheck.maxFailed").contains("an integer from 0 to"));
    }

    @Test
    void keysThatDoNothingAloneAreWarnedAbout() throws Exception {
        ConfigLoader.Loaded<ClientConfig> l = load("frpc.toml", """
                [[proxies]]
                name = "ssh"
                localPort = 22
                loadBalancer.groupKey = "k"
                healthCheck.intervalSeconds = 5
                """);
        assertThat(l.config().proxies().get(0).balancing()).isEqualTo(ProxyBalancing.NONE);
        assertThat(l.warnings()).anySatisfy(w -> assertThat(w).contains("loadBalancer.groupKey")
                .contains("without loadBalancer.group"));
        assertThat(l.warnings()).anySatisfy(w -> assertThat(w).contains("healthCheck.intervalSeconds")
                .contains("without healthCheck.type"));
    }
}
