package io.jfrp.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The configs a client applied: the newest five, each once, and which one a rollback returns to. */
class AppliedConfigsTest {

    @TempDir
    Path dir;

    private static byte[] v(int n) {
        return ("version " + n + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theNewestFiveAreKeptAndARollbackReturnsToTheNewestThatIsNotTheFileNow() throws Exception {
        AppliedConfigs applied = new AppliedConfigs(dir.resolve("frpc.toml.applied"));
        assertThat(applied.previous(v(1))).as("nothing applied yet").isNull();
        for (int i = 1; i <= 7; i++) {
            applied.applied(v(i));
            applied.applied(v(i)); // a reload that changed nothing keeps no second copy
        }
        try (var files = Files.list(dir.resolve("frpc.toml.applied"))) {
            assertThat(files.count()).isEqualTo(AppliedConfigs.KEPT);
        }
        assertThat(applied.previous(v(7))).as("from the config in force").isEqualTo(v(6));
        assertThat(applied.previous("broken".getBytes(StandardCharsets.UTF_8))).as("from an edit never applied")
                .isEqualTo(v(7));
        assertThat(applied.previous(v(3))).as("the oldest kept is the third").isEqualTo(v(7));
    }
}
