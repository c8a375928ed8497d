package io.jfrp.bench;

import ch.qos.logback.classic.Level;
import io.jfrp.client.ClientFleet;
import io.jfrp.client.ClientState;
import io.jfrp.client.ClientStatus;
import io.jfrp.client.JfrpClient;
import io.jfrp.client.ProxyState;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ConfigLoader;
import io.jfrp.core.config.DomainRouting;
import io.jfrp.core.config.HttpProxyConfig;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.lifecycle.LifecycleEvent;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * bench/run's load generator: {@code clients} real {@link JfrpClient}s in one process (a {@link ClientFleet}:
 * shared loops, one TLS context), each with two HTTP proxies (names only on the server: no port per proxy,
 * so 10,000 clients fit under this machine's 20,000 descriptors per process) and heartbeats on. Prints one
 * JSON line per change, at most five a second, for bench.py to read:
 * {@code {"mono": CLOCK_MONOTONIC seconds, "connected": clients logged in, "proxies": proxies running,
 * "heartbeatLosses": sessions lost for want of a heartbeat answer, "lost": sessions lost for any reason}}.
 * Arguments, key=value: server=HOST:PORT token=T clients=N threads=N service=PORT heartbeat=SECONDS
 * timeout=SECONDS sources=N (loopback addresses the clients leave from).
 */
public final class ClientStorm {

    private ClientStorm() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.toLevel(a.getOrDefault("log", "error")));
        String[] server = a.get("server").split(":");
        int clients = Integer.parseInt(a.getOrDefault("clients", "10000"));
        int service = Integer.parseInt(a.get("service"));
        // Each client leaves from one of `sources` loopback addresses (127.0.1.x): 10,000 connections from one
        // address to one server port make every connect() search the kernel's ephemeral ports (70% system
        // time, and heartbeats starved in the generator itself); real clients come from many addresses.
        int sources = Integer.parseInt(a.getOrDefault("sources", "64"));
        List<ClientConfig> bases = new ArrayList<>(sources);
        for (int i = 0; i < sources; i++) {
            Path file = Files.createTempFile("storm-", ".toml");
            Files.writeString(file, String.format("serverAddr = \"%s\"\nserverPort = %s\nauth.token = \"%s\"\n"
                            + "transport.heartbeatInterval = %s\ntransport.heartbeatTimeout = %s\n"
                            + "transport.connectServerLocalIP = \"127.0.1.%d\"\n",
                    server[0], server[1], a.get("token"), a.getOrDefault("heartbeat", "10"), a.getOrDefault("timeout", "30"),
                    1 + i % 250));
            // No state file: each client is a new runId (the default file, named after the config, is one lock).
            bases.add(ConfigLoader.client(file).config().withStateFile(null));
            Files.delete(file);
        }

        LongAdder heartbeatLosses = new LongAdder();
        LongAdder lost = new LongAdder();
        List<JfrpClient> started = new ArrayList<>(clients);
        try (ClientFleet fleet = new ClientFleet(Integer.parseInt(a.getOrDefault("threads", "2")))) {
            for (int i = 0; i < clients; i++) {
                List<ProxyConfig> proxies = List.of(http("s" + i + "-a", service), http("s" + i + "-b", service));
                started.add(fleet.start(bases.get(i % sources).withProxies(proxies), e -> {
                    if (e instanceof LifecycleEvent.SessionLost l) {
                        lost.increment();
                        if (l.reason() != null && l.reason().contains("heartbeat")) {
                            heartbeatLosses.increment();
                        }
                    }
                }));
            }
            String last = "";
            while (true) {
                int connected = 0;
                int running = 0;
                for (JfrpClient c : started) {
                    ClientStatus s = c.status();
                    if (s.state() == ClientState.CONNECTED) {
                        connected++;
                    }
                    for (ClientStatus.Proxy p : s.proxies()) {
                        if (p.state() == ProxyState.RUNNING) {
                            running++;
                        }
                    }
                }
                String now = String.format("\"connected\": %d, \"proxies\": %d, \"heartbeatLosses\": %d, \"lost\": %d",
                        connected, running, heartbeatLosses.sum(), lost.sum());
                if (!now.equals(last)) {
                    System.out.printf("{\"mono\": %.3f, %s}%n", System.nanoTime() / 1e9, now);
                    System.out.flush();
                    last = now;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Answers for a.NAME.storm and b.NAME.storm on the server's vhostHTTPPort, from the local service. */
    private static ProxyConfig http(String name, int service) {
        return new HttpProxyConfig(name, "127.0.0.1", service, DomainRouting.of(List.of(name + ".storm"), ""));
    }
}
