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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** frp's legacy INI configs, read as frp reads them, checked by the same rules as TOML at the INI's lines. */
class LegacyIniTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private ClientConfig client(String name, String text) throws Exception {
        return ConfigLoader.load(write(name, text), Map.of("PORT", "6000"), LegacyIni.Side.CLIENT, ClientConfig::read)
                .config();
    }

    private ServerConfig server(String name, String text) throws Exception {
        return ConfigLoader.load(write(name, text), Map.of(), LegacyIni.Side.SERVER, ServerConfig::read).config();
    }

    private List<String> clientProblems(String name, String text) {
        try {
            client(name, text);
            return List.of();
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void convertedToTomlAnIniFileLoadsAsTheSameConfig() throws Exception {
        String ini = """
                [common]
                server_addr = 10.0.0.1
                server_port = 7001
                token = {{ .Envs.PORT }}
                heartbeat_interval = 5
                heartbeat_timeout = 20
                admin_addr = 127.0.0.1
                admin_port = 7400
                admin_user = "a \\ \"b\""

                [ssh]
                type = tcp
                local_ip = 127.0.0.1
                local_port = 22
                remote_port = 6000

                [range:web]
                local_port = 8080-8081
                remote_port = 18080-18081

                [dns]
                type = udp
                local_port = 53
                remote_port = 5353
                """;
        ClientConfig fromIni = client("frpc.ini", ini);
        String toml = ConfigLoader.iniAsToml(dir.resolve("frpc.ini"), false);
        assertThat(toml).contains("auth.token = \"{{ .Envs.PORT }}\"", "[[proxies]]\nname = \"web_1\"");
        ClientConfig fromToml = client("frpc.toml", toml);
        assertThat(fromToml.proxies()).isEqualTo(fromIni.proxies());
        assertThat(fromToml.authToken()).isEqualTo(fromIni.authToken()).isEqualTo("6000");
        assertThat(fromToml.admin()).isEqualTo(fromIni.admin());
        assertThat(fromToml.heartbeatTimeout()).isEqualTo(fromIni.heartbeatTimeout());
        assertThat(fromToml.serverAddr()).isEqualTo("10.0.0.1");
    }

    @Test
    void aClientIniBecomesTheSameConfigAsItsToml() throws Exception {
        ClientConfig c = client("frpc.ini", """
                # an OpenWrt router's frpc.ini
                [common]
                server_addr = 203.0.113.7
                server_port = 7001
                token = "s3cret"
                heartbeat_interval = 10
                heartbeat_timeout = 40
                login_fail_exit = false

                [ssh]
                type = tcp
                local_ip = 127.0.0.1
                local_port = 22
                remote_port = {{ .Envs.PORT }}

                [range:web]
                type = tcp
                local_port = 8080-8081,9000
                remote_port = 18080-18082
                """);
        assertThat(c.serverAddr()).isEqualTo("203.0.113.7");
        assertThat(c.serverPort()).isEqualTo(7001);
        assertThat(c.authToken()).isEqualTo("s3cret");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(40));
        assertThat(c.loginFailExit()).isFalse();
        assertThat(c.proxies()).containsExactly(
                new TcpProxyConfig("ssh", "127.0.0.1", 22, 6000),
                new TcpProxyConfig("web_0", "127.0.0.1", 8080, 18080),
                new TcpProxyConfig("web_1", "127.0.0.1", 8081, 18081),
                new TcpProxyConfig("web_2", "127.0.0.1", 9000, 18082));
    }

    @Test
    void aServerIniReadsPortsTokenAndAllowPorts() throws Exception {
        ServerConfig s = server("frps.ini", """
                [common]
                bind_addr = 127.0.0.1
                bind_port = 7100
                token = abc
                allow_ports = 2000-3000,3001
                max_ports_per_client = 5
                tls_only = true
                """);
        assertThat(s.bindAddr()).isEqualTo("127.0.0.1");
        assertThat(s.bindPort()).isEqualTo(7100);
        assertThat(s.authToken()).isEqualTo("abc");
        assertThat(s.allowPorts().allows(2500)).isTrue();
        assertThat(s.allowPorts().allows(3001)).isTrue();
        assertThat(s.allowPorts().allows(3002)).isFalse();
        assertThat(s.maxPortsPerClient()).isEqualTo(5);
        assertThat(s.tls().force()).isTrue();
    }

    @Test
    void problemsAreNamedAtTheIniLines() {
        List<String> p = clientProblems("frpc.ini", """
                [common]
                server_adr = example.org
                server_port = seven

                [web]
                type = stcp
                local_port = 80
                """);
        assertThat(p).anySatisfy(s -> assertThat(s).contains("frpc.ini:2:").contains("server_adr")
                .contains("unknown key in frp's INI format (did you mean server_addr?)"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("frpc.ini:3:").contains("serverPort"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("frpc.ini:6:")
                .contains("proxies[0].type: \"stcp\" is not supported by jfrp yet"));
    }

    @Test
    void aRangeWhoseListsDifferInLengthIsRefused() {
        assertThat(clientProblems("frpc.ini", """
                [common]
                [range:x]
                local_port = 1-3
                remote_port = 10-11
                """)).singleElement().asString().contains("frpc.ini:2:").contains("local 3, remote 2");
    }

    @Test
    void aFileWithoutExtensionIsReadByItsContent() throws Exception {
        assertThat(client("no-ext-ini", "[common]\nserver_port = 7002\n").serverPort()).isEqualTo(7002);
        assertThat(client("no-ext-toml", "serverPort = 7003\n").serverPort()).isEqualTo(7003);
        assertThat(client("no-ext-yaml", "serverPort: 7004\nproxies:\n  - name: a\n    localPort: 22\n").serverPort())
                .isEqualTo(7004);
        assertThat(client("no-ext-json", "{\"serverPort\": 7005}").serverPort()).isEqualTo(7005);
        assertThatThrownBy(() -> client("no-ext-bad", "serverPort = = 1\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("TOML syntax error");
    }

    @Test
    void anIniFileIncludesIniFilesOfProxySections() throws Exception {
        Path more = write("more.ini", "[web]\ntype = tcp\nlocal_port = 80\nremote_port = 8080\n");
        ClientConfig c = client("frpc.ini", "[common]\nserver_port = 7000\nincludes = " + more + "\n"
                + "[ssh]\nlocal_port = 22\n");
        assertThat(c.proxies()).containsExactly(new TcpProxyConfig("ssh", "127.0.0.1", 22, 0),
                new TcpProxyConfig("web", "127.0.0.1", 80, 8080));
    }

    @Test
    void pluginParametersAreFrpsV1Keys() throws Exception {
        ClientConfig c = client("frpc.ini", """
                [common]
                server_addr = 10.0.0.1
                [web]
                type = tcp
                remote_port = 6000
                plugin = https2http
                plugin_local_addr = 127.0.0.1:8080
                plugin_host_header_rewrite = inside.example.com
                plugin_header_X-From-Where = frp
                """);
        PluginConfig p = c.proxies().get(0).plugin();
        assertThat(p.type()).isEqualTo("https2http");
        assertThat(p.localAddr()).isEqualTo("127.0.0.1:8080");
        assertThat(p.hostHeaderRewrite()).isEqualTo("inside.example.com");
        assertThat(p.requestHeaders()).isEqualTo(Map.of("X-From-Where", "frp"));
    }
}
