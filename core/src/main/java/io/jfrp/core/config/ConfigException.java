package io.jfrp.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a config file, reported together so the operator fixes them in one go. */
public final class ConfigException extends Exception {

    private final List<ConfigProblem> problems;
    private final List<String> warnings;

    public ConfigException(List<ConfigProblem> problems) {
        this(problems, List.of());
    }

    /** @param warnings what would have been warned about had the file been valid: shown too, not lost */
    public ConfigException(List<ConfigProblem> problems, List<String> warnings) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in configuration:\n  "
                + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  "))
                + (warnings.isEmpty() ? "" : "\nand " + warnings.size() + (warnings.size() == 1 ? " warning" : " warnings")
                + ":\n  " + String.join("\n  ", warnings)));
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    public List<String> warnings() {
        return warnings;
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
