package io.jfrp.core.config;

import io.jfrp.core.transport.OutboundProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The way out to the server: transport.proxyURL (or $http_proxy), connectServerLocalIP, and per channel. */
class ChannelRouteConfigTest {

    @TempDir
    Path dir;

    private ClientConfig client(String text, Map<String, String> env) throws Exception {
        Path p = dir.resolve("frpc.toml");
        Files.writeString(p, text);
        return ConfigLoader.load(p, env, LegacyIni.Side.CLIENT, ClientConfig::read).config();
    }

    private List<String> problems(String text) {
        try {
            client(text, Map.of());
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected problems in " + text);
    }

    @Test
    void frpsProxyUrlAndLocalIpMakeTheOneChannelsRoute() throws Exception {
        ChannelConfig ch = client("""
                serverAddr = "frps.example.com"
                transport.proxyURL = "http://user:p%40ss@proxy.example.com:3128"
                transport.connectServerLocalIP = "192.0.2.7"
                """, Map.of()).channels().get(0);
        assertThat(ch.proxy()).isEqualTo(new OutboundProxy(OutboundProxy.Kind.HTTP, "proxy.example.com", 3128, "user", "p@ss"));
        assertThat(ch.proxy().toString()).isEqualTo("http://user:***@proxy.example.com:3128");
        assertThat(ch.localAddr()).isEqualTo("192.0.2.7");
    }

    @Test
    void theEnvironmentsHttpProxyIsTakenAsFrpTakesItUnlessNoProxyNamesTheServer() throws Exception {
        String config = "serverAddr = \"frps.example.com\"\n";
        assertThat(client(config, Map.of("http_proxy", "socks5://10.1.1.1")).channels().get(0).proxy())
                .isEqualTo(new OutboundProxy(OutboundProxy.Kind.SOCKS5, "10.1.1.1", 1080, "", ""));
        assertThat(client(config, Map.of("http_proxy", "socks5://10.1.1.1", "no_proxy", "localhost,.example.com"))
                .channels().get(0).proxy()).isNull();
        // Over UDP a proxy from the environment is no error: it just cannot carry the channel.
        assertThat(client(config + "transport.protocol = \"quic\"\n", Map.of("http_proxy", "http://10.1.1.1:8080"))
                .channels().get(0).proxy()).isNull();
    }

    @Test
    void channelsInheritTheTopLevelProxyAndMaySetTheirOwn() throws Exception {
        List<ChannelConfig> chs = client("""
                transport.proxyURL = "http://10.9.9.9:3128"
                [[channels]]
                name = "office"
                serverAddr = "a.example.com"
                [[channels]]
                name = "lte"
                serverAddr = "b.example.com"
                proxyURL = "socks5://10.8.8.8:1080"
                localAddr = "::1"
                """, Map.of()).channels();
        assertThat(chs.get(0).proxy().toString()).isEqualTo("http://10.9.9.9:3128");
        assertThat(chs.get(1).proxy().toString()).isEqualTo("socks5://10.8.8.8:1080");
        assertThat(chs.get(1).localAddr()).isEqualTo("::1");
    }

    @Test
    void badRoutesAreNamedWithTheirKeys() {
        assertThat(problems("""
                serverAddr = "h"
                transport.proxyURL = "ftp://proxy:21"
                transport.connectServerLocalIP = "eth0"
                """)).anySatisfy(p -> assertThat(p).contains("transport.proxyURL").contains("\"ftp\" is not one jfrp speaks"))
                .anySatisfy(p -> assertThat(p).contains("transport.connectServerLocalIP: \"eth0\" (expected: an IP address"));
        assertThat(problems("""
                serverAddr = "h"
                transport.protocol = "kcp"
                transport.proxyURL = "http://proxy:3128"
                """)).singleElement().asString().contains("transport.proxyURL: set for protocol \"kcp\"");
        assertThat(problems("""
                serverAddr = "h"
                transport.protocol = "wss"
                transport.tls.enable = false
                """)).singleElement().asString().contains("transport.tls.enable: false while a channel's protocol is wss");
    }
}
