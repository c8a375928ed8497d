package io.jfrp.client;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ProxyConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.jfrp.core.doctor.Check;

/** The doctor's checks on this host: each proxy's local service, and the descriptors this process may open. */
final class LocalChecks {

    /** Below this many descriptors a busy tunnel runs out (each user connection costs the client one). */
    static final long DESCRIPTORS_WANTED = 4096;

    private LocalChecks() {
    }

    static List<Check> services(ClientConfig c, Duration timeout) {
        List<Check> out = new ArrayList<>();
        for (ProxyConfig p : c.proxies()) {
            if (p.plugin() != null && p.plugin().type().equals("unix_domain_socket")) {
                boolean there = java.nio.file.Files.exists(java.nio.file.Path.of(p.plugin().unixPath()));
                out.add(there ? Check.pass("proxy " + p.name(), "unix socket " + p.plugin().unixPath() + " exists")
                        : Check.fail("proxy " + p.name(), "unix socket " + p.plugin().unixPath() + " does not exist",
                        "start the service, or fix plugin.unixPath"));
                continue;
            }
            String local = p.plugin() != null ? p.plugin().localAddr() : p.localIP() + ":" + p.localPort();
            if (local == null || local.isEmpty()) {
                out.add(Check.pass("proxy " + p.name(), "served by plugin " + p.plugin().type() + " itself"));
                continue;
            }
            long start = System.nanoTime();
            try (Socket s = new Socket()) {
                int colon = local.lastIndexOf(':');
                s.connect(new InetSocketAddress(local.substring(0, colon).replace("[", "").replace("]", ""),
                        Integer.parseInt(local.substring(colon + 1))), (int) timeout.toMillis());
                out.add(Check.pass("proxy " + p.name(), "local service " + local + " accepts connections ("
                        + (System.nanoTime() - start) / 1_000_000 + " ms)"));
            } catch (IOException e) {
                out.add(Check.fail("proxy " + p.name(), "local service " + local + ": " + e.getMessage(),
                        "start the service, or fix localIP/localPort; users of this proxy are refused meanwhile"));
            }
        }
        return out;
    }

    /** The process's descriptor limit (this doctor's is the shell's: jfrpc started the same way has it too). */
    static Check descriptors(ClientConfig c) {
        io.jfrp.core.net.Descriptors d = io.jfrp.core.net.Descriptors.now();
        if (d == null) {
            return Check.pass("descriptors", "not measured on this system");
        }
        long max = d.limit();
        String said = "this process may open " + max + " descriptors" + (d.open() < 0 ? "" : " (" + d.open()
                + " open now)") + "; each user connection through a proxy costs jfrpc one, " + c.proxies().size()
                + " proxies";
        if (max < DESCRIPTORS_WANTED) {
            return Check.warn("descriptors", said, "raise it for jfrpc: LimitNOFILE=65536 in its systemd unit (ops/), or "
                    + "ulimit -n 65536 before it starts");
        }
        return Check.pass("descriptors", said);
    }
}
