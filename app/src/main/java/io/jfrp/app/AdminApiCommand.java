package io.jfrp.app;

import io.jfrp.core.config.AdminSettings;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ConfigException;
import io.jfrp.core.config.ConfigLoader;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A jfrpc command that asks the running client of a config through its admin API (status, reload,
 * stop): the config is read, and its webServer settings say where to ask. A config without them is
 * exit 2, with what to add; a client that does not answer is exit 1.
 */
abstract class AdminApiCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Asks the client at {@code admin}: @return the exit code */
    abstract int ask(AdminSettings admin, PrintWriter out) throws IOException, InterruptedException;

    @Override
    public Integer call() throws InterruptedException {
        if (!config.present(spec)) {
            return 2;
        }
        PrintWriter err = spec.commandLine().getErr();
        ClientConfig c;
        try {
            c = ConfigLoader.client(config.file, config.unsafe(spec)).config();
        } catch (ConfigException e) {
            return ConfigOption.printProblems(spec, e); // nothing is asked of the running client
        }
        if (c.admin() == null) {
            err.println("jfrpc " + spec.name() + ": " + config.file + " sets no webServer.port, so the client has no "
                    + "admin API to ask; add webServer.port = 7400 (and webServer.user/password) and restart the client");
            return 2;
        }
        try {
            return ask(c.admin(), spec.commandLine().getOut());
        } catch (IOException e) {
            err.println("jfrpc " + spec.name() + ": " + e.getMessage() + "; is jfrpc running with " + config.file + "?");
            return 1;
        }
    }
}
