package io.jfrp.app;

import io.jfrp.client.Diagnosis;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ConfigException;
import io.jfrp.core.config.ConfigLoader;
import io.jfrp.core.config.ConfigProblem;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code jfrpc doctor -c FILE}: checks, in order, everything a tunnel of this config depends on. */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "Check the config, the server's name and port, TLS, the login, and each proxy's local service.")
final class DoctorCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--timeout", defaultValue = "3s", paramLabel = "DURATION",
            description = "How long each network check may take (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() {
        if (!config.present(spec)) {
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("jfrpc doctor: " + config.file);
        ClientConfig c;
        try {
            ConfigLoader.Loaded<ClientConfig> loaded = ConfigLoader.client(config.file, config.unsafe(spec));
            c = loaded.config();
            line(out, new Diagnosis.Check("config", true, c.proxies().size() + " proxies; server "
                    + c.serverAddr() + ":" + c.serverPort(), ""));
            loaded.warnings().forEach(w -> out.println("        warning: " + w));
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                line(out, new Diagnosis.Check("config", false, p.toString(), ""));
            }
            out.println("        -> fix the config first: `jfrpc verify -c " + config.file + "` lists the same problems");
            out.flush();
            return 1;
        }
        Duration t = ConfigLoader.duration(timeout);
        if (t == null) {
            spec.commandLine().getErr().println("jfrpc doctor: --timeout " + timeout + " (expected: a duration such as 3s or 500ms)");
            return 2;
        }
        List<Diagnosis.Check> checks = new ArrayList<>(Diagnosis.run(c, t));
        checks.forEach(ch -> line(out, ch));
        if (c.admin() == null) {
            out.println("        (no webServer.port in the config: the running client's own view is not available)");
        } else {
            try {
                List<Diagnosis.Check> running = runningChecks(StatusCommand.fetch(c.admin(), t), config.file.toString());
                running.forEach(ch -> line(out, ch));
                checks.addAll(running);
            } catch (Exception e) {
                line(out, new Diagnosis.Check("running client", false, "its admin API does not answer: " + e.getMessage(),
                        "is jfrpc running with this config?"));
                checks.add(new Diagnosis.Check("running client", false, "", ""));
            }
        }
        long failed = checks.stream().filter(ch -> !ch.ok()).count();
        out.println(failed == 0 ? "all checks passed" : failed + " check(s) failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    /** What the running client's own status says: its connection, and each proxy its server refused. */
    static List<Diagnosis.Check> runningChecks(Map<String, Object> status, String file) {
        List<Diagnosis.Check> running = new ArrayList<>();
        running.add(new Diagnosis.Check("running client", "CONNECTED".equals(status.get("state")),
                "state " + status.get("state") + (String.valueOf(status.getOrDefault("lastError", "")).isEmpty()
                        ? "" : ", last error: " + status.get("lastError")),
                "see `jfrpc status -c " + file + "` and the client's log"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> proxies = (List<Map<String, Object>>) status.getOrDefault("proxies", List.of());
        for (Map<String, Object> p : proxies) {
            if ("refused".equals(p.get("state"))) {
                running.add(new Diagnosis.Check("proxy " + p.get("name"), false,
                        "refused by the server: " + p.get("lastError"),
                        "free the port or the name on the server, or choose another remotePort"));
            }
        }
        return running;
    }

    private static void line(PrintWriter out, Diagnosis.Check c) {
        out.printf("  %-5s %-16s %s%n", c.ok() ? "ok" : "FAIL", c.name(), c.detail());
        if (!c.ok() && !c.hint().isEmpty()) {
            out.printf("        -> %s%n", c.hint());
        }
    }

}
