package io.jfrp.core.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** known_servers: the first certificate of each server is kept, the same one passes, another is named. */
class KnownServersTest {

    private static final String A = "AA:".repeat(31) + "AA";
    private static final String B = "BB:".repeat(31) + "BB";

    @TempDir
    Path dir;

    @Test
    void theFirstCertificateOfEachServerIsKeptAndAnotherOneIsRefusedWithItsLine() throws Exception {
        KnownServers known = new KnownServers(dir.resolve("state/known_servers"));
        assertThat(known.check("Frps.Example.com", 7000, A)).isInstanceOf(KnownServers.Verdict.FirstUse.class);
        assertThat(known.check("frps.example.com", 7000, A.toLowerCase().replace(":", "")))
                .as("the same fingerprint, written otherwise, for the same name").isEqualTo(new KnownServers.Verdict.Known(3));
        assertThat(known.check("frps.example.com", 7001, B)).as("another port is another server")
                .isInstanceOf(KnownServers.Verdict.FirstUse.class);

        KnownServers.Verdict v = known.check("frps.example.com", 7000, B);
        assertThat(v).isInstanceOf(KnownServers.Verdict.Changed.class);
        KnownServers.Verdict.Changed c = (KnownServers.Verdict.Changed) v;
        assertThat(c.keptFingerprint()).isEqualTo(A);
        assertThat(c.line()).isEqualTo(3);
        assertThat(Files.getPosixFilePermissions(known.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        // Deleting the line, as the refusal says to when the change was meant, trusts the new one.
        Files.writeString(known.file(), Files.readString(known.file()).replace("frps.example.com:7000 " + A, "# gone"));
        assertThat(known.check("frps.example.com", 7000, B)).isInstanceOf(KnownServers.Verdict.FirstUse.class);
    }
}
