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

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private ConfigLoader.Loaded<ClientConfig> client(String name, String text) throws Exception {
        return ConfigLoader.load(write(name, text), Map.of("TOKEN", "from-env"), LegacyIni.Side.CLIENT, ClientConfig::read);
    }

    private ConfigLoader.Loaded<ServerConfig> server(String name, String text) throws Exception {
        return ConfigLoader.load(write(name, text), Map.of(), LegacyIni.Side.SERVER, ServerConfig::read);
    }

    private List<String> clientProblems(String name, String text) {
        try {
            client(name, text);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected problems in " + text);
    }

    @Test
    void frpClientConfigLoadsUnchanged() throws Exception {
        ClientConfig c = client("frpc.toml", """
                serverAddr = "x.example.com"
                serverPort = 7000
                auth.token = "{{ .Envs.TOKEN }}"
                transport.heartbeatInterval = 10
                transport.heartbeatTimeout = "30s"

                [[proxies]]
                name = "ssh"
                type = "tcp"
                localIP = "127.0.0.1"
                localPort = 22
                remotePort = 6000
                """).config();
        assertThat(c.serverAddr()).isEqualTo("x.example.com");
        assertThat(c.authToken()).isEqualTo("from-env");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.tls().enable()).isTrue();
        assertThat(c.loginFailExit()).isFalse();
        assertThat(c.proxies()).containsExactly(new TcpProxyConfig("ssh", "127.0.0.1", 22, 6000));
    }

    @Test
    void aUdpProxyMayShareItsPortNumberWithATcpOneAndTakesTheClientsPacketSize() throws Exception {
        ClientConfig c = client("frpc.toml", """
                udpPacketSize = 9000
                [[proxies]]
                name = "dns-tcp"
                localPort = 53
                remotePort = 5353
                [[proxies]]
                name = "dns"
                type = "udp"
                localPort = 53
                remotePort = 5353
                """).config();
        assertThat(c.proxies()).containsExactly(new TcpProxyConfig("dns-tcp", "127.0.0.1", 53, 5353),
                new UdpProxyConfig("dns", "127.0.0.1", 53, 5353, 9000));
    }

    @Test
    void frpsTablesJfrpDoesNotRunYetAreNamedAndLabelsAreKept() throws Exception {
        ClientConfig c = client("frpc.toml", """
                metadatas.var1 = "a"
                [[proxies]]
                name = "ssh"
                localPort = 22
                [proxies.annotations]
                "frp.e2e.test/foo" = "value1"
                team = "ops"
                [proxies.metadatas]
                var2 = "b"
                """).config();
        assertThat(c.proxies().get(0).labels().annotations()).containsOnly(
                Map.entry("frp.e2e.test/foo", "value1"), Map.entry("team", "ops"));
        assertThat(c.proxies().get(0).labels().metadatas()).containsOnly(Map.entry("var2", "b"));
        List<String> p = clientProblems("frpc.toml", """
                [[proxies]]
                name = "web"
                localPort = 80
                requestHeaders.set.x-from-where = "frp"
                responseHeaders.set.foo = "bar"
                plugin.type = "virtual_net"
                natTraversal.disableAssistedAddrs = true
                """);
        assertThat(p).hasSize(4).allSatisfy(s -> assertThat(s).contains("not supported by jfrp yet"));
    }

    @Test
    void tableFormAndDottedFormAreTheSame() throws Exception {
        ClientConfig c = client("frpc.toml", """
                serverPort = 7001
                [auth]
                token = "t"
                [transport.tls]
                enable = false
                """).config();
        assertThat(c.authToken()).isEqualTo("t");
        assertThat(c.tls().enable()).isFalse();
    }

    @Test
    void yamlAndJsonReadTheSameKeys() throws Exception {
        ClientConfig y = client("frpc.yaml", """
                serverAddr: 127.0.0.1
                serverPort: 7002
                auth:
                  token: abc
                proxies:
                  - name: web
                    type: tcp
                    localPort: 8080
                    remotePort: 0
                """).config();
        ClientConfig j = client("frpc.json", """
                {"serverAddr": "127.0.0.1", "serverPort": 7002, "auth": {"token": "abc"},
                 "proxies": [{"name": "web", "type": "tcp", "localPort": 8080, "remotePort": 0}]}
                """).config();
        assertThat(y.proxies()).isEqualTo(j.proxies());
        assertThat(y.authToken()).isEqualTo("abc").isEqualTo(j.authToken());
        assertThat(y.serverPort()).isEqualTo(7002).isEqualTo(j.serverPort());
    }

    @Test
    void everyProblemIsReportedAtOnceWithLineKeyValueAndExpectation() {
        List<String> p = clientProblems("frpc.toml", """
                serverAddr = "127.0.0.1"
                serverPort = 70000
                auth.token = "x"
                transport.heartbeatInterval = "ten seconds"
                loginFailExit = "yes"

                [[proxies]]
                name = "web"
                type = "tcp"
                localPort = 8080
                remotPort = 6000
                """);
        assertThat(p).hasSize(4);
        assertThat(p.get(0)).endsWith("frpc.toml:2:1: serverPort: 70000 (expected: an integer from 1 to 65535)");
        assertThat(p.get(1)).contains(":4:1: transport.heartbeatInterval: \"ten seconds\" (expected: a duration");
        assertThat(p.get(2)).contains(":5:1: loginFailExit: \"yes\" (expected: true or false)");
        assertThat(p.get(3)).contains(":11:1: proxies[0].remotPort: unknown key (did you mean remotePort?)");
    }

    @Test
    void legacyNamesGetTheirNewName() {
        List<String> p = clientProblems("frpc.toml", """
                heartbeat_interval = 10
                login_fail_exit = false
                server_addr = "a"
                """);
        assertThat(p).anySatisfy(s -> assertThat(s).contains("heartbeat_interval: unknown key (did you mean transport.heartbeatInterval?"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("login_fail_exit: unknown key (did you mean loginFailExit?"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("did you mean serverAddr?"));
    }

    @Test
    void aLegacyCommonSectionIsExplained() {
        List<String> p = clientProblems("frpc.toml", """
                [common]
                server_port = 7000
                """);
        assertThat(p).singleElement().asString().contains("[common] is frp's legacy INI section").contains("serverPort");
    }

    @Test
    void aKeyInTheWrongPlaceIsFoundByItsLastSegment() {
        assertThat(clientProblems("frpc.toml", "heartbeatInterval = 5\n"))
                .singleElement().asString().contains("did you mean transport.heartbeatInterval?");
    }

    @Test
    void missingRequiredKeysDuplicatesAndUnsupportedTypesAreNamed() {
        List<String> p = clientProblems("frpc.toml", """
                [[proxies]]
                name = "a"
                localPort = 1
                remotePort = 6000
                [[proxies]]
                name = "a"
                localPort = 2
                [[proxies]]
                name = "b"
                type = "stcp"
                localPort = 3
                [[proxies]]
                type = "tcp"
                [[proxies]]
                name = "c"
                localPort = 4
                remotePort = 6000
                """);
        assertThat(p).anySatisfy(s -> assertThat(s).contains("proxies[1].name: \"a\" is already used by proxies[0]"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("proxies[2].type: \"stcp\" is not supported by jfrp yet"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("proxies[3].name: missing"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("proxies[3].localPort: missing"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("proxies[4].remotePort: 6000 is already used by tcp proxy a"));
    }

    @Test
    void crossFieldRulesAreChecked() {
        assertThat(clientProblems("frpc.toml", """
                transport.heartbeatInterval = "10s"
                transport.heartbeatTimeout = "5s"
                """)).singleElement().asString()
                .contains("transport.heartbeatTimeout: 5s (expected: > transport.heartbeatInterval 10s)");
        assertThat(clientProblems("frpc.toml", """
                transport.reconnect.initialInterval = "2s"
                transport.reconnect.maxInterval = "1s"
                """)).singleElement().asString().contains("maxInterval: 1s (expected: >= initialInterval 2s)");
    }

    @Test
    void durationsTakeSecondsOrUnits() throws Exception {
        ClientConfig c = client("frpc.toml", """
                transport.heartbeatInterval = "500ms"
                transport.heartbeatTimeout = "1m30s"
                transport.reconnect.maxInterval = 20
                """).config();
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.reconnect().maxInterval()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void frpsOffHeartbeatAndNoEffectKeysAreWarningsNotErrors() throws Exception {
        ConfigLoader.Loaded<ClientConfig> l = client("frpc.toml", """
                transport.heartbeatInterval = -1
                transport.poolCount = 5
                """);
        assertThat(l.config().heartbeatInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(l.warnings()).anySatisfy(w -> assertThat(w).contains("jfrp keeps heartbeats on"));
        assertThat(l.warnings()).anySatisfy(w -> assertThat(w).contains("transport.poolCount has no effect"));
    }

    @Test
    void keysWeDoNotSupportYetAreErrorsNotSilence() {
        assertThat(clientProblems("frpc.toml", "dnsServer = \"8.8.8.8\"\n")).singleElement().asString()
                .contains("dnsServer: not supported by jfrp yet");
    }

    @Test
    void channelsAreAnOrderedListAndAutoIsTcpThenWebSocket() throws Exception {
        ClientConfig c = client("frpc.toml", """
                transport.failBackAfter = "45s"
                [[channels]]
                name = "fibre"
                serverAddr = "10.0.0.1"
                serverPort = 7000
                [[channels]]
                name = "lte"
                serverAddr = "10.0.1.1"
                serverPort = 7001
                protocol = "quic"
                """).config();
        assertThat(c.channels()).containsExactly(new ChannelConfig("fibre", "10.0.0.1", 7000, "tcp"),
                new ChannelConfig("lte", "10.0.1.1", 7001, "quic"));
        assertThat(c.serverAddr()).isEqualTo("10.0.0.1");
        assertThat(c.failBackAfter()).isEqualTo(Duration.ofSeconds(45));

        assertThat(client("frpc.toml", "serverAddr = \"h\"\ntransport.protocol = \"auto\"\n").config().channels())
                .extracting(ChannelConfig::protocol).containsExactly("tcp", "websocket");

        assertThat(clientProblems("frpc.toml", """
                serverAddr = "h"
                [[channels]]
                serverAddr = "a"
                protocol = "carrier-pigeon"
                localAddr = "eth0"
                [[channels]]
                serverPort = 7000
                """)).anySatisfy(p -> assertThat(p).contains("channels: set beside serverAddr/serverPort"))
                .anySatisfy(p -> assertThat(p).contains("channels[0].protocol: \"carrier-pigeon\""))
                .anySatisfy(p -> assertThat(p).contains("channels[0].localAddr: \"eth0\" (expected: an IP address"))
                .anySatisfy(p -> assertThat(p).contains("channels[1].serverAddr"));
    }

    @Test
    void aTomlErrorThatTheParserThrowsIsStillAProblemWithItsLine() {
        // Found by ConfigFuzzTest: tomlj throws this one instead of listing it.
        assertThat(clientProblems("frpc.toml", "serverPort = 7000\n[[\"o\\yl\"]]\n")).singleElement().asString()
                .contains("frpc.toml:2").contains("TOML syntax error").contains("Invalid escape sequence");
    }

    @Test
    void usersEachWithATokenAndLimits() throws Exception {
        ConfigLoader.Loaded<ServerConfig> l = server("frps.toml", """
                bindPort = 7000
                [[users]]
                name = "alice"
                token = "alice-token-0123456789"
                allowPorts = [ { start = 6000, end = 6010 } ]
                maxPorts = 3
                maxSessions = 2
                [[users]]
                name = "bob"
                token = "bob-token-0123456789ab"
                """);
        assertThat(l.config().users()).extracting(ServerUser::name).containsExactly("alice", "bob");
        ServerUser alice = l.config().users().get(0);
        assertThat(alice.allowPorts().allows(6005)).isTrue();
        assertThat(alice.allowPorts().allows(7000)).isFalse();
        assertThat(alice.maxPorts()).isEqualTo(3);
        assertThat(l.config().users().get(1).allowPorts()).isNull();
        assertThat(alice.toString()).doesNotContain("alice-token");
        // No shared token, but users: nothing to warn about.
        assertThat(l.warnings()).noneMatch(w -> w.contains("auth.token"));

        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(() -> server("frps.toml", """
                bindPort = 7000
                [[users]]
                name = "a.b"
                token = "short"
                [[users]]
                name = "c"
                token = "short"
                """), ConfigException.class);
        assertThat(e.problems()).extracting(ConfigProblem::toString)
                .anySatisfy(p -> assertThat(p).contains("users[0].name: \"a.b\""))
                .anySatisfy(p -> assertThat(p).contains("users[0].token: is 5 characters (expected: at least 16"));
    }

    @Test
    void adminApiStateFileAndGracePeriodKeys() throws Exception {
        ClientConfig c = client("frpc.toml", """
                webServer.port = 7400
                webServer.user = "admin"
                webServer.password = "pw"
                transport.reconnect.circuitBreakerThreshold = 5
                """).config();
        assertThat(c.admin()).isEqualTo(new AdminSettings("127.0.0.1", 7400, "admin", "pw"));
        assertThat(c.stateFile()).isEqualTo(dir.resolve("jfrpc-state").resolve("frpc.toml.state"));
        assertThat(c.reconnect().circuitBreakerThreshold()).isEqualTo(5);
        assertThat(client("other.toml", "stateDir = \"/var/lib/jfrpc\"\n").config().stateFile())
                .isEqualTo(Path.of("/var/lib/jfrpc/other.toml.state"));
        assertThat(client("noadmin.toml", "").config().admin()).isNull();
        assertThat(server("frps.toml", "transport.sessionGracePeriod = \"5s\"\n").config().sessionGracePeriod())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void syntaxErrorsArePositioned() {
        assertThat(clientProblems("frpc.toml", "serverPort = \n")).singleElement().asString()
                .contains("frpc.toml:1:").contains("TOML syntax error");
        assertThat(clientProblems("frpc.yaml", "a: [1, 2\n")).singleElement().asString().contains("YAML syntax error");
        assertThat(clientProblems("frpc.json", "{\"serverPort\": }")).singleElement().asString()
                .contains("frpc.json:1:").contains("JSON syntax error");
    }

    @Test
    void aMissingEnvironmentVariableIsAWarning() throws Exception {
        ConfigLoader.Loaded<ClientConfig> l = client("frpc.toml", "auth.token = \"{{ .Envs.NOPE }}\"\n");
        assertThat(l.config().authToken()).isEmpty();
        assertThat(l.warnings()).anySatisfy(w -> assertThat(w).contains("NOPE is not set"));
        assertThat(l.warnings()).as("the token it left empty").anySatisfy(w -> assertThat(w).contains("auth.token: empty"));
    }

    @Test
    void serverKeysAndAllowPorts() throws Exception {
        ServerConfig s = server("frps.toml", """
                bindAddr = "127.0.0.1"
                bindPort = 7100
                auth.token = "t"
                maxPortsPerClient = 3
                allowPorts = [ { start = 2000, end = 3000 }, { single = 3001 } ]
                transport.heartbeatTimeout = 30
                """).config();
        assertThat(s.bindPort()).isEqualTo(7100);
        assertThat(s.proxyBindAddr()).isEqualTo("127.0.0.1");
        assertThat(s.allowPorts().allows(2500)).isTrue();
        assertThat(s.allowPorts().allows(3001)).isTrue();
        assertThat(s.allowPorts().allows(3002)).isFalse();
        assertThat(s.allowPorts().toString()).isEqualTo("2000-3000, 3001");
        assertThat(s.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.dataDir()).isEqualTo(dir.resolve("jfrps-data"));
    }

    @Test
    void badAllowPortsAndMissingCertFilesAreNamed() {
        try {
            server("frps.toml", """
                    allowPorts = [ { start = 3000, end = 2000 }, { single = 70000 } ]
                    transport.tls.certFile = "/nonexistent/cert.pem"
                    bind_port = 7000
                    """);
            throw new AssertionError("expected problems");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains("allowPorts[0].end: 2000 (expected: >= start 3000)")
                    .contains("allowPorts[1].single: 70000")
                    .contains("transport.tls.certFile: \"/nonexistent/cert.pem\" (expected: a readable file")
                    .contains("transport.tls.keyFile: missing")
                    .contains("bind_port: unknown key (did you mean bindPort?");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsNamedAtItsLineOnEitherSide() throws Exception {
        Path cert = Path.of(getClass().getResource("/tls/rsa.crt").toURI());
        Path key = Path.of(getClass().getResource("/tls/ec-sec1.key").toURI());
        String tls = "transport.tls.certFile = \"" + cert + "\"\ntransport.tls.keyFile = \"" + key + "\"\n";

        assertThatThrownBy(() -> server("frps.toml", "bindPort = 7000\n" + tls))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("frps.toml:3:1: transport.tls.keyFile: the key file " + key
                        + " does not belong to the certificate file " + cert);
        assertThatThrownBy(() -> client("frpc.toml", "serverAddr = \"127.0.0.1\"\n" + tls))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("frpc.toml:3:1: transport.tls.keyFile: the key file");
    }

    @Test
    void anUnreadableFileIsOneClearProblem() {
        assertThatThrownBy(() -> ConfigLoader.client(dir.resolve("missing.toml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing.toml: cannot read the file");
    }

    @Test
    void includedFilesAddTheirProxiesAndNameTheirOwnProblems() throws Exception {
        Path confd = Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(confd.resolve("a.toml"), "[[proxies]]\nname = \"a\"\nlocalPort = 22\nremotePort = 6001\n");
        Files.writeString(confd.resolve("b.toml"), "[[proxies]]\nname = \"b\"\nlocalPort = 23\n");
        ConfigLoader.Loaded<ClientConfig> c = client("frpc.toml", "serverPort = 7000\nincludes = [\""
                + confd.resolve("*.toml") + "\"]\n[[proxies]]\nname = \"main\"\nlocalPort = 21\n");
        assertThat(c.config().proxies()).extracting(ProxyConfig::name).containsExactly("main", "a", "b");

        Files.writeString(confd.resolve("c.toml"), "[[proxies]]\nname = \"main\"\nlocalPort = 24\nlocalPot = 1\n");
        List<String> p = clientProblems("frpc2.toml", "includes = [\"" + confd.resolve("c.toml")
                + "\"]\n[[proxies]]\nname = \"main\"\nlocalPort = 21\n");
        assertThat(p).anySatisfy(x -> assertThat(x).startsWith(confd.resolve("c.toml") + ":2:")
                .contains("\"main\" is already used by proxies[0] (frpc2.toml)"));
        assertThat(p).anySatisfy(x -> assertThat(x).startsWith(confd.resolve("c.toml") + ":4:").contains("localPot"));
    }

    @Test
    void aTokenComesFromAFileOrFromACommandTheOperatorAllowed() throws Exception {
        Path tokenFile = write("token", "  file-token\n");
        assertThat(client("frpc.toml", "auth.tokenSource.type = \"file\"\nauth.tokenSource.file.path = \""
                + tokenFile + "\"\n").config().authToken()).isEqualTo("file-token");
        assertThat(clientProblems("frpc.toml", "auth.tokenSource.type = \"file\"\nauth.tokenSource.file.path = \""
                + dir.resolve("missing") + "\"\n")).singleElement().asString()
                .contains("auth.tokenSource.file.path: cannot read the token from");
        assertThat(clientProblems("frpc.toml", "auth.token = \"x\"\nauth.tokenSource.type = \"file\"\n"
                + "auth.tokenSource.file.path = \"" + tokenFile + "\"\n"))
                .anySatisfy(x -> assertThat(x).contains("set together with auth.token"));

        String exec = "auth.tokenSource.type = \"exec\"\nauth.tokenSource.exec.command = \"printf\"\n"
                + "auth.tokenSource.exec.args = [\"exec-token\"]\n";
        assertThat(clientProblems("frpc.toml", exec)).singleElement().asString()
                .contains("--allow-unsafe TokenSourceExec");
        ClientConfig allowed = ConfigLoader.load(write("frpc-exec.toml", exec), Map.of(), java.util.Set.of("TokenSourceExec"),
                LegacyIni.Side.CLIENT, ClientConfig::read).config();
        assertThat(allowed.authToken()).isEqualTo("exec-token");
        assertThatThrownBy(() -> ConfigLoader.load(write("frpc-fail.toml", exec.replace("printf", "false")), Map.of(),
                java.util.Set.of("TokenSourceExec"), LegacyIni.Side.CLIENT, ClientConfig::read))
                .hasMessageContaining("false exited with 1");
    }

    @Test
    void aFileForTheOtherSideIsNamedAsSuchAndWarningsAreKeptBesideProblems() {
        assertThatThrownBy(() -> server("frps.toml", "serverAddr = \"x\"\nserverPort = 7000\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("this is a client's config")
                .hasMessageContaining("give it to jfrpc");
        assertThat(clientProblems("frpc.toml", "bindPort = 7000\n"))
                .anySatisfy(x -> assertThat(x).contains("this is a server's config").contains("give it to jfrps"));
        assertThatThrownBy(() -> client("frpc.toml", "auth.token = \"t\"\ntransport.poolCount = 5\nserverPort = \"x\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("serverPort")
                .hasMessageContaining("1 warning").hasMessageContaining("transport.poolCount has no effect");
    }
}
