package io.jfrp.app;

import io.jfrp.core.config.ConfigException;
import io.jfrp.core.config.ConfigLoader;
import io.jfrp.core.config.ServerConfig;
import io.jfrp.server.JfrpServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code jfrps -c frps.toml}, or frp's {@code frps -p 7000 -t TOKEN}: runs the server until stopped. */
@Command(name = "jfrps", aliases = "server", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "The jfrp server: clients log in here and their proxies open ports here.",
        subcommands = {ServerCommand.Verify.class, ServerCommand.Reload.class, ServerCommand.Doctor.class})
final class ServerCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Mixin
    ServerFlags flags;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ConfigLoader.Loaded<ServerConfig> loaded;
        try {
            // As frp: a file when -c is given (its flags are then ignored), else the flags and defaults.
            loaded = config.file != null ? ConfigLoader.server(config.file, config.unsafe(spec)) : ConfigLoader.serverFromFlags(flags.settings());
        } catch (ConfigException e) {
            return ConfigOption.printProblems(spec, e);
        }
        Logging.apply(loaded.config().log());
        ConfigOption.printWarnings(loaded);
        JfrpServer server;
        try {
            server = JfrpServer.start(loaded.config());
        } catch (IOException e) {
            Logging.fatal("jfrps", loaded.config().log(), e.getMessage());
            return 1;
        }
        if (config.file != null) {
            ReloadSignal.install("jfrps", server::reloadFile);
        }
        Daemon.runUntilStopped(server::close);
        return 0;
    }

    /**
     * {@code jfrps reload -c FILE} (jfrp; frp cannot reload its server): the file is checked here first,
     * then the running server of FILE reads it again through its web server. Sessions stay unless the new
     * config forbids them. Without webServer.port, SIGHUP does the same.
     */
    @Command(name = "reload", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
            description = "Apply the config file to the running server: tokens, users, allowPorts, limits, timeouts, "
                    + "log level and vhost settings change; clients stay connected unless the new config forbids them. "
                    + "Needs webServer.port (or send the server SIGHUP).")
    static final class Reload implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            if (!config.present(spec)) {
                return 2;
            }
            ServerConfig c;
            try {
                c = ConfigLoader.server(config.file, config.unsafe(spec)).config();
            } catch (ConfigException e) {
                return ConfigOption.printProblems(spec, e); // the running server is not asked
            }
            java.io.PrintWriter err = spec.commandLine().getErr();
            if (c.webServer() == null) {
                err.println("jfrps reload: " + config.file + " sets no webServer.port, so the server has no API to ask; "
                        + "send it SIGHUP (kill -HUP PID), or add webServer.port (and webServer.user/password) and restart it");
                return 2;
            }
            try {
                spec.commandLine().getOut().println("jfrps reload: "
                        + StatusCommand.call(c.webServer(), "POST", "/api/reload", java.time.Duration.ofSeconds(15)).trim());
                return 0;
            } catch (java.io.IOException e) {
                err.println("jfrps reload: " + e.getMessage().replace("no client answers", "no server answers")
                        + "; is jfrps running with " + config.file + "?");
                return 1;
            }
        }
    }

    /** {@code jfrps verify -c FILE}: 0 when valid, 1 with every problem listed. */
    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
            description = "Check a server config file and list every problem in it.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config;

        @CommandLine.Option(names = "--convert", description = "For a legacy INI file: also print it as frp's v1 TOML "
                + "(the same settings; templates kept as written), to move to TOML when you choose.")
        boolean convert;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!config.present(spec)) {
                return 2;
            }
            try {
                ConfigLoader.Loaded<ServerConfig> loaded = ConfigLoader.server(config.file, config.unsafe(spec));
                loaded.warnings().forEach(w -> spec.commandLine().getOut().println("warning: " + w));
                // frp's words ("... syntax is ok"): scripts and frp's suite look for them.
                spec.commandLine().getOut().println("jfrps: the configuration file " + config.file + " syntax is ok (bindPort "
                        + loaded.config().bindPort() + ")");
                return convert ? ConfigOption.printAsToml(spec, config.file, true) : 0;
            } catch (ConfigException e) {
                return ConfigOption.printProblems(spec, e);
            }
        }
    }

    /**
     * {@code jfrps doctor -c FILE}: the config, each port it listens on (free, or held by a running jfrps),
     * the certificate, the descriptor limit; PASS/WARN/FAIL with advice, {@code --json} for a timer.
     */
    @Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
            description = "Check the config, that each port the server listens on can be had (or is held by a running "
                    + "jfrps), the certificate and its expiry, and the descriptor limit. Exit 0 when nothing fails.")
    static final class Doctor implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config;

        @CommandLine.Option(names = "--json", description = "Print the checks as JSON (for a timer or cron job).")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (!config.present(spec)) {
                return 2;
            }
            java.util.List<io.jfrp.core.doctor.Check> checks = new java.util.ArrayList<>();
            try {
                ConfigLoader.Loaded<ServerConfig> loaded = ConfigLoader.server(config.file, config.unsafe(spec));
                checks.add(loaded.warnings().isEmpty()
                        ? io.jfrp.core.doctor.Check.pass("config", "bindPort " + loaded.config().bindPort())
                        : io.jfrp.core.doctor.Check.warn("config", "bindPort " + loaded.config().bindPort() + "; "
                        + String.join("; ", loaded.warnings()), "see `jfrps verify -c " + config.file + "`"));
                checks.addAll(io.jfrp.server.ServerDiagnosis.run(loaded.config()));
            } catch (ConfigException e) {
                for (io.jfrp.core.config.ConfigProblem p : e.problems()) {
                    checks.add(io.jfrp.core.doctor.Check.fail("config", p.toString(), "fix the config first"));
                }
            }
            return DoctorReport.print(spec.commandLine().getOut(), "jfrps doctor", config.file.toString(), checks, json, null);
        }
    }
}
