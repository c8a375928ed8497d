package io.jfrp.app;

import io.jfrp.core.config.ConfigException;
import io.jfrp.core.config.ConfigLoader;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The -c option every command shares, and how config problems are printed. */
final class ConfigOption {

    @CommandLine.Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file with frp's keys: TOML, YAML, JSON or frp's legacy INI (by extension, else by content).")
    Path file;

    @CommandLine.Option(names = {"--allow-unsafe", "--allow_unsafe"}, paramLabel = "FEATURE", split = ",",
            description = "frp's unsafe features to allow: TokenSourceExec (auth.tokenSource.type = \"exec\" runs a command).")
    List<String> allowUnsafe = new ArrayList<>();

    @CommandLine.Option(names = {"--strict-config", "--strict_config"}, arity = "0..1", hidden = true,
            description = "Accepted as frp has it: jfrp's checking is always strict.")
    Boolean strictConfig;

    /** The unsafe features allowed; an unknown name is refused, as frp refuses it. */
    Set<String> unsafe(CommandLine.Model.CommandSpec spec) {
        for (String f : allowUnsafe) {
            if (!ConfigLoader.unsafeFeatures().contains(f)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--allow-unsafe: unknown feature \"" + f
                        + "\" (known: " + String.join(", ", ConfigLoader.unsafeFeatures()) + ")");
            }
        }
        return Set.copyOf(allowUnsafe);
    }

    /** @return false (after saying so) when -c is missing; picocli cannot require it on a command with subcommands. */
    boolean present(CommandLine.Model.CommandSpec spec) {
        if (file == null) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": missing -c FILE (the configuration file)");
            spec.commandLine().usage(spec.commandLine().getErr());
            return false;
        }
        return true;
    }

    static int printProblems(CommandLine.Model.CommandSpec spec, ConfigException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(e.getMessage());
        err.flush();
        return 1;
    }

    /** {@code verify --convert}: the INI file as v1 TOML on standard output, after a comment line. */
    static int printAsToml(CommandLine.Model.CommandSpec spec, java.nio.file.Path file, boolean server) throws ConfigException {
        PrintWriter out = spec.commandLine().getOut();
        out.println("# " + file + " as frp's v1 TOML (the same settings):");
        out.print(ConfigLoader.iniAsToml(file, server));
        out.flush();
        return 0;
    }

    static void printWarnings(ConfigLoader.Loaded<?> loaded) {
        for (String w : loaded.warnings()) {
            org.slf4j.LoggerFactory.getLogger("config").warn(w);
        }
    }
}
