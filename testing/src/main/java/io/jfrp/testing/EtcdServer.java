package io.jfrp.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd (Debian's etcd-server, which bin/test installs; {@code JFRP_ETCD} names another binary)
 * on loopback, one member, its data in a directory of the test's. It can be stopped and started again
 * on the same ports and data, as an operator's etcd restarts. etcd takes no port 0: two free ports are
 * picked just before it starts.
 */
public final class EtcdServer implements AutoCloseable {

    private final Path dataDir;
    private final Path logFile;
    private final int clientPort;
    private final int peerPort;
    private Process process;

    private EtcdServer(Path dir) throws IOException {
        this.dataDir = dir.resolve("etcd-data");
        this.logFile = dir.resolve("etcd.log");
        this.clientPort = Loopback.freePort();
        this.peerPort = Loopback.freePort();
    }

    /** An etcd with its data under {@code dir}, answering within 30 s. */
    public static EtcdServer start(Path dir) throws IOException, InterruptedException {
        EtcdServer e = new EtcdServer(dir);
        e.startAgain();
        return e;
    }

    public static String binary() {
        String b = System.getenv("JFRP_ETCD");
        return b != null && !b.isEmpty() ? b : "/usr/bin/etcd";
    }

    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** Kills it (as a crash would: no clean shutdown); {@link #startAgain} brings it back with its data. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    public void startAgain() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(binary()))) {
            throw new IOException(binary() + " is missing: install Debian's etcd-server (bin/test does), or set JFRP_ETCD");
        }
        Files.createDirectories(dataDir);
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder(List.of(binary(), "--name", "jfrp-test", "--data-dir", dataDir.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "jfrp-test=" + peer, "--log-level", "warn"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited: " + log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("true")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50); // polling a process we do not own: there is nothing to await
        }
        stop();
        throw new IOException("etcd did not answer within 30 s: " + log());
    }

    private String log() {
        try {
            String s = Files.readString(logFile);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
