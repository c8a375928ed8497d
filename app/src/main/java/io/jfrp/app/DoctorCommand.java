package io.jfrp.app;

import io.jfrp.client.Diagnosis;
import io.jfrp.core.doctor.Check;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ConfigException;
import io.jfrp.core.config.ConfigLoader;
import io.jfrp.core.config.ConfigProblem;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code jfrpc doctor -c FILE}: checks, in order, everything a tunnel of this config depends on, each
 * PASS, WARN or FAIL with one line of advice; exit 0 when nothing fails. {@code --json} prints the same
 * for a timer or cron job to read.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "Check the config, the server's name, port and what answers there, TLS and its certificate, the "
                + "protocol version, the login, the clocks, each proxy's local service and remote port, the descriptor "
                + "limit and the route. Exit 0 when nothing fails.")
final class DoctorCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--timeout", defaultValue = "3s", paramLabel = "DURATION",
            description = "How long each network check may take (default: ${DEFAULT-VALUE}).")
    String timeout;

    @CommandLine.Option(names = "--json", description = "Print the checks as JSON (for a timer or cron job).")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!config.present(spec)) {
            return 2;
        }
        Duration t = ConfigLoader.duration(timeout);
        if (t == null) {
            spec.commandLine().getErr().println("jfrpc doctor: --timeout " + timeout + " (expected: a duration such as 3s or 500ms)");
            return 2;
        }
        List<Check> checks = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        ClientConfig c = null;
        try {
            ConfigLoader.Loaded<ClientConfig> loaded = ConfigLoader.client(config.file, config.unsafe(spec));
            c = loaded.config();
            warnings.addAll(loaded.warnings());
            checks.add(warnings.isEmpty() ? Check.pass("config", c.proxies().size() + " proxies; server "
                    + c.serverAddr() + ":" + c.serverPort())
                    : Check.warn("config", c.proxies().size() + " proxies; server " + c.serverAddr() + ":" + c.serverPort()
                    + "; " + warnings.size() + " warning(s): " + String.join("; ", warnings), "see `jfrpc verify -c " + config.file + "`"));
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                checks.add(Check.fail("config", p.toString(), "fix the config first: `jfrpc verify -c " + config.file
                        + "` lists the same problems"));
            }
        }
        if (c != null) {
            checks.addAll(Diagnosis.run(c, t));
            if (c.admin() != null) {
                try {
                    checks.addAll(runningChecks(StatusCommand.fetch(c.admin(), t), config.file.toString()));
                } catch (Exception e) {
                    checks.add(Check.warn("running client", "its admin API does not answer: " + e.getMessage(),
                            "is jfrpc running with this config? (`systemctl status jfrpc`)"));
                }
            }
        }
        String note = c != null && c.admin() == null
                ? "(no webServer.port in the config: the running client's own view is not available)" : null;
        return DoctorReport.print(spec.commandLine().getOut(), "jfrpc doctor", config.file.toString(), checks, json, note);
    }

    /** What the running client's own status says: its connection, and each proxy its server refused. */
    static List<Check> runningChecks(Map<String, Object> status, String file) {
        List<Check> running = new ArrayList<>();
        String detail = "state " + status.get("state") + (String.valueOf(status.getOrDefault("lastError", "")).isEmpty()
                ? "" : ", last error: " + status.get("lastError"));
        running.add("CONNECTED".equals(status.get("state")) ? Check.pass("running client", detail)
                : Check.fail("running client", detail, "see `jfrpc status -c " + file + "` and the client's log"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> proxies = (List<Map<String, Object>>) status.getOrDefault("proxies", List.of());
        for (Map<String, Object> p : proxies) {
            if ("refused".equals(p.get("state"))) {
                running.add(Check.fail("proxy " + p.get("name"), "refused by the server: " + p.get("lastError"),
                        "free the port or the name on the server, or choose another remotePort"));
            }
        }
        return running;
    }

}
