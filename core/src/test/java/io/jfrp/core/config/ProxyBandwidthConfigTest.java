package io.jfrp.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** frp's transport.bandwidthLimit and bandwidthLimitMode, in TOML and legacy INI. */
class ProxyBandwidthConfigTest {

    @TempDir
    Path dir;

    private ClientConfig load(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return ConfigLoader.client(f).config();
    }

    @Test
    void quantitiesInKbAndMbAsFrpReadsThem() {
        assertThat(ProxyBandwidth.parse("10KB")).isEqualTo(10 * 1024);
        assertThat(ProxyBandwidth.parse("1.5MB")).isEqualTo(1536 * 1024);
        assertThat(ProxyBandwidth.parse(" ")).isZero();
        assertThat(ProxyBandwidth.parse("10kb")).isEqualTo(-1);
        assertThat(ProxyBandwidth.parse("10")).isEqualTo(-1);
        assertThat(ProxyBandwidth.parse("-1KB")).isEqualTo(-1);
    }

    @Test
    void aLimitAtTheClientOrTheServerAndMistakesNamed() throws Exception {
        List<ProxyConfig> p = load("frpc.toml", """
                [[proxies]]
                name = "a"
                localPort = 1
                transport.bandwidthLimit = "10KB"
                [[proxies]]
                name = "b"
                localPort = 2
                transport.bandwidthLimit = "1MB"
                transport.bandwidthLimitMode = "server"
                """).proxies();
        assertThat(p.get(0).bandwidth()).isEqualTo(new ProxyBandwidth(10240, false));
        assertThat(p.get(1).bandwidth()).isEqualTo(new ProxyBandwidth(1 << 20, true));
        assertThat(load("frpc.ini", """
                [common]
                server_port = 7000
                [c]
                local_port = 3
                bandwidth_limit = 2MB
                bandwidth_limit_mode = server
                """).proxies().get(0).bandwidth()).isEqualTo(new ProxyBandwidth(2 << 20, true));

        Path f = dir.resolve("bad.toml");
        Files.writeString(f, """
                [[proxies]]
                name = "a"
                localPort = 1
                transport.bandwidthLimit = "10 kbit"
                transport.bandwidthLimitMode = "both"
                """);
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.client(f), ConfigException.class);
        assertThat(e.problems()).extracting(ConfigProblem::toString).satisfiesExactlyInAnyOrder(
                s -> assertThat(s).contains("bad.toml:4").contains("transport.bandwidthLimit").contains("KB or MB"),
                s -> assertThat(s).contains("bad.toml:5").contains("transport.bandwidthLimitMode").contains("client, server"));
    }
}
