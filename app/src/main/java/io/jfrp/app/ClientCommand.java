package io.jfrp.app;

import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.AdminSettings;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ConfigException;
import io.jfrp.core.config.ConfigLoader;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/** {@code jfrpc -c frpc.toml}: runs the client until stopped (or, with loginFailExit, until login fails). */
@Command(name = "jfrpc", aliases = "client", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "The jfrp client: exposes local services through a jfrps server.",
        subcommands = {ClientCommand.Verify.class, StatusCommand.class, ClientCommand.Reload.class, ClientCommand.Rollback.class,
                ClientCommand.Stop.class, DoctorCommand.class, ClientCommand.SetLogLevel.class})
final class ClientCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!config.present(spec)) {
            return 2;
        }
        ConfigLoader.Loaded<ClientConfig> loaded;
        try {
            loaded = ConfigLoader.client(config.file, config.unsafe(spec));
        } catch (ConfigException e) {
            return ConfigOption.printProblems(spec, e);
        }
        return run(spec, loaded);
    }

    /** Runs a client of a checked config until it stops: 0, or 1 when it gave up (loginFailExit). */
    static int run(CommandLine.Model.CommandSpec spec, ConfigLoader.Loaded<ClientConfig> loaded) throws Exception {
        Logging.apply(loaded.config().log());
        ConfigOption.printWarnings(loaded);
        JfrpClient client;
        try {
            client = JfrpClient.start(loaded.config());
        } catch (java.io.IOException e) {
            Logging.fatal("jfrpc", loaded.config().log(), e.getMessage());
            return 1;
        }
        Thread hook = new Thread(client::close, "jfrpc-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ReloadSignal.install("jfrpc", client::reloadFile);
        try {
            client.terminated().get();
            return 0;
        } catch (ExecutionException e) {
            Logging.fatal("jfrpc", loaded.config().log(), e.getCause().getMessage());
            return 1;
        }
    }

    /** {@code jfrpc verify -c FILE}: 0 when valid, 1 with every problem listed. */
    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
            description = "Check a client config file and list every problem in it.")
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
                ConfigLoader.Loaded<ClientConfig> loaded = ConfigLoader.client(config.file, config.unsafe(spec));
                loaded.warnings().forEach(w -> spec.commandLine().getOut().println("warning: " + w));
                int n = loaded.config().proxies().size();
                // frp's words ("... syntax is ok"): scripts and frp's suite look for them.
                spec.commandLine().getOut().println("jfrpc: the configuration file " + config.file + " syntax is ok ("
                        + n + (n == 1 ? " proxy)" : " proxies)"));
                return convert ? ConfigOption.printAsToml(spec, config.file, false) : 0;
            } catch (ConfigException e) {
                return ConfigOption.printProblems(spec, e);
            }
        }
    }

    /** {@code jfrpc stop -c FILE}, as frp's: asks the running client (its admin API) to stop, saying goodbye. */
    @Command(name = "stop", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
            description = "Stop the running client of this config (through its admin API; needs webServer.port).")
    static final class Stop extends AdminApiCommand {
        @Override
        int ask(AdminSettings admin, PrintWriter out) throws IOException, InterruptedException {
            StatusCommand.call(admin, "POST", "/api/stop", Duration.ofSeconds(10));
            out.println("jfrpc stop: the client is stopping");
            return 0;
        }
    }

    /** {@code jfrpc log-level LEVEL -c FILE} (jfrp): the running client logs at LEVEL from now on, without a reload. */
    @Command(name = "log-level", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
            description = "Set the running client's log level at once (trace, debug, info, warn, error); the config "
                    + "file's log.level is applied again at the next restart or reload. Needs webServer.port.")
    static final class SetLogLevel extends AdminApiCommand {
        @CommandLine.Parameters(index = "0", paramLabel = "LEVEL", description = "trace, debug, info, warn or error")
        String level;

        @Override
        int ask(AdminSettings admin, PrintWriter out) throws IOException, InterruptedException {
            out.println("jfrpc log-level: " + StatusCommand.call(admin, "PUT", io.jfrp.core.admin.LogLevelRoute.PATH + "?level="
                    + java.net.URLEncoder.encode(level, java.nio.charset.StandardCharsets.UTF_8), Duration.ofSeconds(5)).trim());
            return 0;
        }
    }

    /** {@code jfrpc reload -c FILE}, as frp's: asks the running client (its admin API) to apply the file's proxies. */
    @Command(name = "reload", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
            description = "Apply the config file's proxies to the running client: added and changed ones open, removed "
                    + "ones close, unchanged ones keep their connections. Needs webServer.port.")
    static final class Reload extends AdminApiCommand {
        @Override
        int ask(AdminSettings admin, PrintWriter out) throws IOException, InterruptedException {
            out.println("jfrpc reload: " + StatusCommand.get(admin, "/api/reload", Duration.ofSeconds(10)).trim());
            return 0;
        }
    }

    /**
     * {@code jfrpc rollback -c FILE} (jfrp): the config a client of FILE applied before is put back over it
     * (the file replaced is kept as FILE.before-rollback), then applied through the admin API when it has
     * one. The last 5 applied configs are kept beside the state file.
     */
    @Command(name = "rollback", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
            description = "Put back the config this client applied before (the last 5 are kept) and apply it.")
    static final class Rollback implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            if (!config.present(spec)) {
                return 2;
            }
            PrintWriter out = spec.commandLine().getOut();
            java.nio.file.Path dir;
            try {
                dir = ConfigLoader.client(config.file, config.unsafe(spec)).config().appliedConfigsDir();
            } catch (ConfigException e) {
                // The file is broken (the usual reason to roll back): its state lives where it goes by default.
                dir = ClientConfig.appliedConfigsDir(config.file, null);
            }
            try {
                out.println("jfrpc rollback: " + io.jfrp.client.JfrpClient.rollbackFile(config.file, dir));
            } catch (IOException e) {
                spec.commandLine().getErr().println("jfrpc rollback: " + e.getMessage());
                return 1;
            }
            try {
                AdminSettings admin = ConfigLoader.client(config.file, config.unsafe(spec)).config().admin();
                out.println(admin == null ? "jfrpc rollback: no webServer.port to ask the running client: send it SIGHUP "
                        + "or restart it" : "jfrpc rollback: " + StatusCommand.get(admin, "/api/reload", Duration.ofSeconds(15)).trim());
            } catch (ConfigException | IOException e) {
                out.println("jfrpc rollback: the file is back, but the running client did not take it (" + e.getMessage()
                        + "): send it SIGHUP or restart it");
            }
            return 0;
        }
    }
}
