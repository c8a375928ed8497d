package io.jfrp.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Configs that work but leave a door open load with a warning that names the key and what it exposes. */
class UnsafeSettingsTest {

    @TempDir
    Path dir;

    private List<String> warnings(String name, String text, LegacyIni.Side side) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return side == LegacyIni.Side.SERVER
                ? ConfigLoader.load(p, Map.of(), side, ServerConfig::read).warnings()
                : ConfigLoader.load(p, Map.of(), side, ClientConfig::read).warnings();
    }

    @Test
    void anOpenServerIsNamed() throws Exception {
        List<String> w = warnings("frps.toml", """
                bindPort = 7000
                webServer.addr = "0.0.0.0"
                webServer.port = 7500
                """, LegacyIni.Side.SERVER);
        assertThat(w).anySatisfy(s -> assertThat(s).contains("auth.token: empty: any client"));
        assertThat(w).anySatisfy(s -> assertThat(s).contains("frps.toml:2: webServer.addr: \"0.0.0.0\" without "
                + "webServer.user and webServer.password"));
    }

    @Test
    void aClientInTheClearAcrossANetworkIsNamedAndOneOnLoopbackIsNot() throws Exception {
        List<String> far = warnings("far.toml", """
                serverAddr = "203.0.113.7"
                auth.token = "t"
                transport.tls.enable = false
                """, LegacyIni.Side.CLIENT);
        assertThat(far).anySatisfy(s -> assertThat(s).contains("far.toml:3: transport.tls.enable: false with a server "
                + "across the network (203.0.113.7)"));
        List<String> near = warnings("near.toml", """
                serverAddr = "127.0.0.1"
                auth.token = "t"
                transport.tls.enable = false
                webServer.port = 7400
                """, LegacyIni.Side.CLIENT);
        assertThat(near).as("loopback: nothing crosses a network").isEmpty();
    }

    @Test
    void aServerCertificateCheckedAgainstNothingIsNamedWithTheThreeWaysToCheckIt() throws Exception {
        List<String> open = warnings("open.toml", "serverAddr = \"203.0.113.7\"\nauth.token = \"t\"\n", LegacyIni.Side.CLIENT);
        assertThat(open).anySatisfy(s -> assertThat(s).contains("transport.tls: the server's certificate is neither pinned",
                "transport.tls.serverFingerprint", "transport.tls.trustedCaFile", "transport.tls.trustOnFirstUse = true"));
        List<String> tofu = warnings("tofu.toml", """
                serverAddr = "203.0.113.7"
                auth.token = "t"
                transport.tls.trustOnFirstUse = true
                """, LegacyIni.Side.CLIENT);
        assertThat(tofu).noneMatch(s -> s.contains("neither pinned"));
        List<String> near = warnings("near.toml", "serverAddr = \"127.0.0.1\"\nauth.token = \"t\"\n", LegacyIni.Side.CLIENT);
        assertThat(near).noneMatch(s -> s.contains("neither pinned"));
    }
}
