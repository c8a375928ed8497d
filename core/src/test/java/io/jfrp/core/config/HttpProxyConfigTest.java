package io.jfrp.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** http proxies and the server's vhost keys, read as frp writes them, and what is wrong in them named. */
class HttpProxyConfigTest {

    @TempDir
    Path dir;

    private <T> ConfigLoader.Loaded<T> load(String text, LegacyIni.Side side,
                                            java.util.function.BiFunction<ConfigSection, Path, T> reader)
            throws Exception {
        Path p = dir.resolve(side == LegacyIni.Side.CLIENT ? "frpc.toml" : "frps.toml");
        Files.writeString(p, text);
        return ConfigLoader.load(p, Map.of(), side, reader);
    }

    @Test
    void anHttpProxyCarriesItsRoutingAndEdits() throws Exception {
        ClientConfig c = load("""
                serverAddr = "127.0.0.1"
                [[proxies]]
                name = "web"
                type = "http"
                localPort = 8080
                customDomains = ["www.example.com", "*.example.org"]
                subdomain = "web"
                locations = ["/", "/api"]
                httpUser = "u"
                httpPassword = "p"
                routeByHTTPUser = "u"
                hostHeaderRewrite = "inside.local"
                requestHeaders.set.x-from-where = "frp"
                responseHeaders.set.X-Frame-Options = "DENY"
                """, LegacyIni.Side.CLIENT, ClientConfig::read).config();
        HttpProxyConfig web = (HttpProxyConfig) c.proxies().get(0);
        assertThat(web.routing()).isEqualTo(new DomainRouting(List.of("www.example.com", "*.example.org"), "web",
                List.of("/", "/api"), "u", "p", "u"));
        assertThat(web.hostHeaderRewrite()).isEqualTo("inside.local");
        assertThat(web.requestHeaders()).containsExactly(Map.entry("x-from-where", "frp"));
        assertThat(web.responseHeaders()).containsExactly(Map.entry("X-Frame-Options", "DENY"));
        assertThat(web.remotePort()).isZero();
    }

    @Test
    void anHttpsProxyIsRoutedByNameAloneAndSaysWhyCredentialsCannotBeChecked() throws Exception {
        HttpsProxyConfig tls = (HttpsProxyConfig) load("""
                serverAddr = "127.0.0.1"
                [[proxies]]
                name = "tls"
                type = "https"
                localPort = 8443
                customDomains = ["secure.example.com"]
                """, LegacyIni.Side.CLIENT, ClientConfig::read).config().proxies().get(0);
        assertThat(tls.routing()).isEqualTo(DomainRouting.of(List.of("secure.example.com"), ""));
        assertThatThrownBy(() -> load("""
                serverAddr = "127.0.0.1"
                [[proxies]]
                name = "tls"
                type = "https"
                localPort = 8443
                customDomains = ["secure.example.com"]
                httpUser = "u"
                """, LegacyIni.Side.CLIENT, ClientConfig::read)).hasMessageContaining(
                "proxies[0].httpUser: not supported by jfrp yet: an https proxy is routed by the TLS server name alone");
    }

    @Test
    void whatCannotWorkIsNamedAtItsKey() {
        assertThatThrownBy(() -> load("""
                serverAddr = "127.0.0.1"
                [[proxies]]
                name = "nameless"
                type = "http"
                localPort = 8080
                [[proxies]]
                name = "bad"
                type = "http"
                localPort = 8081
                subdomain = "a.b"
                locations = ["api"]
                requestHeaders.set."bad header" = "x"
                [[proxies]]
                name = "tcp"
                type = "tcp"
                localPort = 22
                locations = ["/"]
                """, LegacyIni.Side.CLIENT, ClientConfig::read))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("proxies[0].customDomains: missing (expected: customDomains or subdomain")
                .hasMessageContaining("proxies[1].subdomain: \"a.b\"")
                .hasMessageContaining("proxies[1].locations: \"api\" (expected: paths that start with /)")
                .hasMessageContaining("proxies[1].requestHeaders.set.bad header: is not an HTTP header name")
                .hasMessageContaining("proxies[2].locations: not supported by jfrp yet: only http, https and tcpmux");
    }

    @Test
    void theServersVhostKeysAndFrpsSpellingInAnyCase() throws Exception {
        Files.writeString(dir.resolve("404.html"), "<h1>gone</h1>");
        ConfigLoader.Loaded<ServerConfig> s = load("""
                bindPort = 7000
                vhostHTTPPort = 8080
                vhostHTTPTimeout = 5
                custom404Page = "%s"
                subdomainHost = "example.com"
                """.formatted(dir.resolve("404.html")), LegacyIni.Side.SERVER, ServerConfig::read);
        VhostSettings v = s.config().vhost();
        assertThat(v.vhostHTTPPort()).isEqualTo(8080);
        assertThat(v.vhostHTTPTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(v.custom404Page()).isEqualTo("<h1>gone</h1>");
        assertThat(v.subDomainHost()).isEqualTo("example.com");
        assertThat(s.warnings()).anySatisfy(w -> assertThat(w).contains("subdomainHost is read as subDomainHost"));
    }
}
