package io.jfrp.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** [proxies.plugin]: frp's keys per plugin type, and clear errors for the rest. */
class PluginConfigTest {

    @TempDir
    Path dir;

    private ConfigLoader.Loaded<ClientConfig> load(String text) throws Exception {
        Path p = dir.resolve("frpc.toml");
        Files.writeString(p, "serverAddr = \"h\"\n" + text);
        return ConfigLoader.load(p, Map.of(), LegacyIni.Side.CLIENT, ClientConfig::read);
    }

    private List<String> problems(String text) {
        try {
            load(text);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected problems in " + text);
    }

    @Test
    void aPluginNeedsNoLocalPortAndTakesItsTypesKeys() throws Exception {
        ConfigLoader.Loaded<ClientConfig> l = load("""
                [[proxies]]
                name = "web"
                type = "https"
                customDomains = ["example.com"]
                [proxies.plugin]
                type = "https2http"
                localAddr = "127.0.0.1:8080"
                hostHeaderRewrite = "inside"
                requestHeaders.set.x-from-where = "frp"
                enableHTTP2 = true
                """);
        PluginConfig p = l.config().proxies().get(0).plugin();
        assertThat(p).isEqualTo(new PluginConfig("https2http", "127.0.0.1:8080", null, null, "inside",
                Map.of("x-from-where", "frp"), ""));
        assertThat(p.endsTls()).isTrue();
        assertThat(p.dialsTls()).isFalse();
        assertThat(l.warnings()).anySatisfy(w -> assertThat(w).contains("plugin.enableHTTP2 has no effect"));
    }

    @Test
    void wrongPluginsAreNamedWithTheirKeys() {
        assertThat(problems("""
                [[proxies]]
                name = "a"
                type = "tcp"
                [proxies.plugin]
                type = "virtual_net"
                destinationIP = "100.86.0.1"
                """)).singleElement().asString().contains("plugin.type: \"virtual_net\" is not supported by jfrp yet");
        assertThat(problems("""
                [[proxies]]
                name = "a"
                type = "tcp"
                [proxies.plugin]
                type = "static_file"
                localPath = "/no/such/dir"
                """)).singleElement().asString().contains("plugin.localPath: \"/no/such/dir\" (expected: a directory");
        assertThat(problems("""
                [[proxies]]
                name = "a"
                type = "tcp"
                [proxies.plugin]
                type = "tls2raw"
                localAddr = "nowhere"
                crtPath = "/etc/hostname"
                """)).anySatisfy(p -> assertThat(p).contains("plugin.localAddr: \"nowhere\" (expected: host:port)"))
                .anySatisfy(p -> assertThat(p).contains("plugin.keyPath: missing (expected: crtPath and keyPath together"));
        assertThat(problems("""
                [[proxies]]
                name = "a"
                type = "tcp"
                [proxies.plugin]
                type = "http2http"
                localAddr = "127.0.0.1:80"
                unixPath = "/tmp/x"
                """)).singleElement().asString().contains("plugin.unixPath: unknown key");
    }
}
