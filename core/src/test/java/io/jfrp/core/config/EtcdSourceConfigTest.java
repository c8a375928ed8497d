package io.jfrp.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** configSource.etcd: its keys, and the documents of a config centre checked with the file. */
class EtcdSourceConfigTest {

    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        Path p = dir.resolve("frpc.toml");
        Files.writeString(p, "serverAddr = \"127.0.0.1\"\n" + text);
        return p;
    }

    @Test
    void theSourceIsReadAndEachMistakeInItNamed() throws Exception {
        EtcdSource s = ConfigLoader.client(file("""
                configSource.etcd.endpoints = ["http://127.0.0.1:2379", "https://10.0.0.2:2379"]
                configSource.etcd.prefix = "/jfrp/office/"
                configSource.etcd.user = "jfrpc"
                configSource.etcd.password = "secret"
                """)).config().configSource();
        assertThat(s.endpoints()).containsExactly("http://127.0.0.1:2379", "https://10.0.0.2:2379");
        assertThat(s.describe()).contains("/jfrp/office/").contains("as jfrpc").doesNotContain("secret");

        assertThatThrownBy(() -> ConfigLoader.client(file("""
                configSource.etcd.endpoints = ["127.0.0.1:2379"]
                configSource.etcd.user = "jfrpc"
                """))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("frpc.toml:2:").hasMessageContaining("expected: http://HOST:PORT")
                .hasMessageContaining("configSource.etcd.prefix: is missing")
                .hasMessageContaining("configSource.etcd.user: is set alone");
        assertThatThrownBy(() -> ConfigLoader.client(file("configSource.etcd.prefix = \"/x/\"\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("without configSource.etcd.endpoints");
        assertThat(ConfigLoader.client(file("")).config().configSource()).isNull();
    }

    @Test
    void documentsAddProxiesAndAProblemInOneNamesItsKeyAndLine() throws Exception {
        Path f = file("[[proxies]]\nname = \"ssh\"\nlocalPort = 22\nremotePort = 6000\n");
        ClientConfig c = ConfigLoader.client(f, List.of(
                new ConfigDocument("/jfrp/office/web.toml", "[[proxies]]\nname = \"web\"\nlocalPort = 80\n"),
                new ConfigDocument("/jfrp/office/db.json", "{\"proxies\": [{\"name\": \"db\", \"localPort\": 5432}]}"))).config();
        assertThat(c.proxies()).extracting(ProxyConfig::name).containsExactly("ssh", "web", "db");

        assertThatThrownBy(() -> ConfigLoader.client(f, List.of(
                new ConfigDocument("/jfrp/office/web.toml", "[[proxies]]\nname = \"web\"\nlocalPort = \"eighty\"\n"),
                new ConfigDocument("/jfrp/office/dup.toml", "[[proxies]]\nname = \"ssh\"\nlocalPort = 2222\n"),
                new ConfigDocument("/jfrp/office/server.toml", "serverAddr = \"elsewhere\"\n"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("/jfrp/office/web.toml:3:")
                .hasMessageContaining("\"ssh\" is already used by")
                .hasMessageContaining("/jfrp/office/server.toml:1:");
    }
}
