package io.jfrp.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Reads, checks and binds config files: every problem at once, or an immutable config and its warnings. */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** A config that passed, with warnings about keys that have no effect or unset variables. */
    public record Loaded<T>(T config, List<String> warnings) {
    }

    /** A duration as config files write it ("30", "500ms", "2m"), or null when it is not one. */
    public static java.time.Duration duration(String text) {
        return Durations.parse(text);
    }

    public static Loaded<ServerConfig> server(Path file) throws ConfigException {
        return load(file, System.getenv(), ServerConfig::read);
    }

    public static Loaded<ClientConfig> client(Path file) throws ConfigException {
        return load(file, System.getenv(), ClientConfig::read);
    }

    static <T> Loaded<T> load(Path file, Map<String, String> env, BiFunction<ConfigSection, Path, T> reader)
            throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        ConfigNode root = ConfigFiles.parse(file, env, problems, warnings);
        if (root == null) {
            throw new ConfigException(problems);
        }
        if (!root.isMap()) {
            problems.add(new ConfigProblem(file.toString(), root.line(), root.column(), null,
                    "the document is " + root.display() + " (expected: a table of settings)"));
            throw new ConfigException(problems);
        }
        ConfigSection section = new ConfigSection(file.toString(), "", root, problems, warnings);
        T config = reader.apply(section, file);
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
            throw new ConfigException(problems);
        }
        return new Loaded<>(config, List.copyOf(warnings));
    }
}
