package io.jfrp.app;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ConfigException;
import io.jfrp.core.config.ConfigLoader;
import io.jfrp.core.config.ServerConfig;
import io.jfrp.core.config.TcpProxyConfig;
import java.util.Map;
import java.util.List;
import io.jfrp.core.config.ProxyLabels;
import io.jfrp.core.config.DomainRouting;
import io.jfrp.core.config.HttpProxyConfig;
import io.jfrp.core.config.UdpProxyConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** frp's command line beside ours: frps from flags, frpc's one-line proxies, checked as files are. */
class FrpCommandLineTest {

    @Test
    void frpsFlagsWithUnderscoresOrDashesSetTheSameKeys() throws Exception {
        ServerCommand a = new ServerCommand();
        new CommandLine(a).parseArgs("-t", "123", "-p", "7100", "--allow_ports", "2000-3000", "--tls-only");
        ServerConfig c = ConfigLoader.serverFromFlags(a.flags.settings()).config();
        assertThat(c.bindPort()).isEqualTo(7100);
        assertThat(c.authToken()).isEqualTo("123");
        assertThat(c.allowPorts().allows(2500)).isTrue();
        assertThat(c.allowPorts().allows(3500)).isFalse();
        assertThat(c.tls().force()).isTrue();
        assertThat(c.dataDir()).as("never the directory it was started in")
                .isEqualTo(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "jfrps-data-7100"));

        ServerCommand b = new ServerCommand();
        new CommandLine(b).parseArgs("--bind-port", "7100", "--max_ports_per_client", "3");
        assertThat(ConfigLoader.serverFromFlags(b.flags.settings()).config().maxPortsPerClient()).isEqualTo(3);
    }

    @Test
    void theUdpTransportsPortsAreTakenFromFlags() throws Exception {
        ServerCommand a = new ServerCommand();
        new CommandLine(a).parseArgs("-p", "7100", "--kcp-bind-port", "7100", "--quic_bind_port", "7101");
        var c = ConfigLoader.serverFromFlags(a.flags.settings()).config();
        assertThat(c.kcpBindPort()).isEqualTo(7100);
        assertThat(c.quicBindPort()).isEqualTo(7101);
    }

    @Test
    void frpcTcpBuildsOneProxyFromFlags() throws Exception {
        OneProxyCommand tcp = new OneProxyCommand("tcp");
        new CommandLine(tcp).parseArgs("-s", "127.0.0.1", "-P", "7100", "-t", "123", "-u", "test", "-l", "22",
                "-r", "6000", "-n", "ssh");
        ClientConfig c = ConfigLoader.clientFromFlags(tcp.settings()).config();
        assertThat(c.serverAddr()).isEqualTo("127.0.0.1");
        assertThat(c.serverPort()).isEqualTo(7100);
        assertThat(c.user()).isEqualTo("test");
        assertThat(c.authToken()).isEqualTo("123");
        assertThat(c.proxies()).containsExactly(new TcpProxyConfig("ssh", "127.0.0.1", 22, 6000));
    }

    @Test
    void frpcHttpMakesOneHttpProxyWithItsNames() throws Exception {
        OneProxyCommand http = new OneProxyCommand("http");
        new CommandLine(http).parseArgs("-s", "127.0.0.1", "-l", "80", "-n", "web", "-d", "a.example.com,b.example.com",
                "--locations", "/,/api", "--http_user", "u", "--http_pwd", "p", "--host_header_rewrite", "in.local");
        ClientConfig c = ConfigLoader.clientFromFlags(http.settings()).config();
        assertThat(c.proxies()).containsExactly(new HttpProxyConfig("web", "127.0.0.1", 80,
                new DomainRouting(List.of("a.example.com", "b.example.com"), "", List.of("/", "/api"), "u", "p", ""),
                "in.local", Map.of(), Map.of(), ProxyLabels.NONE, ""));
    }

    @Test
    void frpcStcpIsRefusedWithTheWordsAFileGets() {
        OneProxyCommand stcp = new OneProxyCommand("stcp");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(stcp).setErr(new PrintWriter(err));
        int code = cli.execute("-s", "127.0.0.1", "-l", "80", "-n", "secret");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("proxies[0].type: \"stcp\" is not supported by jfrp yet");
    }

    @Test
    void frpcUdpMakesOneUdpProxy() throws Exception {
        OneProxyCommand udp = new OneProxyCommand("udp");
        new CommandLine(udp).parseArgs("-s", "127.0.0.1", "-l", "53", "-r", "5353", "-n", "dns");
        ClientConfig c = ConfigLoader.clientFromFlags(udp.settings()).config();
        assertThat(c.proxies()).containsExactly(new UdpProxyConfig("dns", "127.0.0.1", 53, 5353, 1500));
    }
}
