package io.jfrp.e2e;

import io.jfrp.core.doctor.Check;
import io.jfrp.server.JfrpServer;
import io.jfrp.server.ServerDiagnosis;
import io.jfrp.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** jfrps doctor: a port another process holds fails, one a running jfrps holds passes, the certificate is read. */
@ExtendWith(LeakCheck.class)
class ServerDoctorTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    private static Check check(List<Check> checks, String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aPortHeldByAnotherProcessFailsAndOneHeldByAJfrpsPasses() throws Exception {
        ServerSocket squatter = closer.keep(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        List<Check> taken = ServerDiagnosis.run(Tunnels.serverConfig(dir).withBind("127.0.0.1", squatter.getLocalPort()));
        assertThat(check(taken, "bindPort").level()).isEqualTo(Check.Level.FAIL);
        assertThat(check(taken, "bindPort").hint()).contains("ss -ltnp");
        assertThat(check(taken, "certificate").level()).isEqualTo(Check.Level.PASS);
        assertThat(check(taken, "certificate").detail()).contains("self-signed").contains("valid until");

        JfrpServer server = closer.keep(Tunnels.server(dir));
        List<Check> running = ServerDiagnosis.run(Tunnels.serverConfig(dir).withBind("127.0.0.1", server.port()));
        assertThat(check(running, "bindPort").level()).isEqualTo(Check.Level.PASS);
        assertThat(check(running, "bindPort").detail()).contains("held by a jfrps already");
        assertThat(check(running, "certificate").detail()).contains(server.certificateFingerprint());
    }
}
