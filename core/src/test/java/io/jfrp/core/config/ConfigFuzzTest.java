package io.jfrp.core.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Any file as a config, in each format: it loads, or it is refused with a {@link ConfigException} that
 * names what is wrong, never another exception. No unsafe feature is allowed (a fuzzed exec token
 * source must not run anything).
 */
class ConfigFuzzTest {

    private static final String[] NAMES = {"frpc.toml", "frps.toml", "frpc.yaml", "frps.json", "frpc.ini", "frps.ini"};
    private static Path dir;

    private static synchronized Path dir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("jfrp-config-fuzz-");
            dir.toFile().deleteOnExit();
        }
        return dir;
    }

    @FuzzTest(maxDuration = "10s")
    void anyFileAsAConfig(FuzzedDataProvider in) {
        String name = in.pickValue(NAMES);
        try {
            Path file = dir().resolve(name);
            Files.writeString(file, in.consumeRemainingAsString());
            try {
                if (name.startsWith("frps")) {
                    ConfigLoader.server(file, Set.of());
                } else {
                    ConfigLoader.client(file, Set.of());
                }
            } catch (ConfigException expected) {
                expected.getMessage();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
