package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.FaultRelay;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.ThreadLeakCheck;
import io.jfrp.testing.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connection whose far end broke must look broken to the application: a reset, never a clean end
 * after a short body. Only a FIN that travelled end to end may become an EOF.
 */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class BrokenStreamTest {

    private static final int TRANSFERS = 20;
    private static final long BODY = 20L << 20;

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T keep(T c) {
        return closer.keep(c);
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(20_000);
        return s;
    }

    private ServerSocket service() throws IOException {
        ServerSocket ss = keep(new ServerSocket());
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return ss;
    }

    @Test
    void aLocalServiceThatResetsReachesTheUserAsAReset() throws Exception {
        JfrpServer server = keep(Tunnels.server(dir));
        ServerSocket service = service();
        JfrpClient client = keep(Tunnels.client(server, Tunnels.tcp("rst", service.getLocalPort(), 0)));
        int port = Tunnels.awaitRunning(client, "rst");
        CompletableFuture<Void> aborts = Loopback.sendThenReset(service, 1000);
        try (Socket user = connect(port)) {
            user.getOutputStream().write(1);
            assertThat(Loopback.readToEnd(user)).isEqualTo(Loopback.End.RESET);
        }
        aborts.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aUserThatResetsReachesTheLocalServiceAsAReset() throws Exception {
        JfrpServer server = keep(Tunnels.server(dir));
        ServerSocket service = service();
        JfrpClient client = keep(Tunnels.client(server, Tunnels.tcp("rst", service.getLocalPort(), 0)));
        int port = Tunnels.awaitRunning(client, "rst");
        CompletableFuture<Loopback.End> seen = CompletableFuture.supplyAsync(() -> {
            try (Socket c = service.accept()) {
                c.setSoTimeout(20_000);
                c.getOutputStream().write(1);
                return Loopback.readToEnd(c);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        try (Socket user = connect(port)) {
            user.getOutputStream().write(new byte[1000]);
            assertThat(user.getInputStream().read()).isEqualTo(1);
            user.setSoLinger(true, 0);
        }
        assertThat(seen.get(20, TimeUnit.SECONDS)).isEqualTo(Loopback.End.RESET);
    }

    /**
     * Twenty transfers of 20 MiB, ten each way; the channel between client and server is reset in the
     * middle. Every reading end must see a reset (a clean close made all of these a short body and an
     * EOF), and every writing end an error.
     */
    @Test
    void aLostChannelResetsEveryTransferOnBothSides() throws Exception {
        JfrpServer server = keep(Tunnels.server(dir));
        ServerSocket service = service();
        FaultRelay relay = keep(new FaultRelay(server.port()));
        // Slow enough that no transfer can finish before the cut, fast enough to start them all.
        relay.throttle(40L << 20);
        ClientConfig cfg = ClientConfig.defaults("127.0.0.1", relay.port(), Tunnels.TOKEN,
                List.of(Tunnels.tcp("bulk", service.getLocalPort(), 0)));
        JfrpClient client = keep(JfrpClient.start(cfg));
        int port = Tunnels.awaitRunning(client, "bulk");

        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            List<Transfer> services = java.util.Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> accepting = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < TRANSFERS; i++) {
                        Socket c = keep(service.accept());
                        c.setSoTimeout(40_000);
                        boolean upload = c.getInputStream().read() == 'U';
                        services.add(new Transfer(upload ? "service reading" : "service writing", c, pool, !upload));
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, pool);
            List<Transfer> all = new ArrayList<>();
            for (int i = 0; i < TRANSFERS; i++) {
                boolean upload = i % 2 == 0;
                Socket u = keep(connect(port));
                u.getOutputStream().write(upload ? 'U' : 'D');
                all.add(new Transfer(upload ? "user writing" : "user reading", u, pool, upload));
            }
            accepting.get(20, TimeUnit.SECONDS);
            all.addAll(services);
            await().atMost(Duration.ofSeconds(30)).until(() -> all.stream().allMatch(t -> t.moved.get() >= 256 * 1024));

            relay.resetAll();

            List<String> ends = new ArrayList<>();
            for (Transfer t : all) {
                ends.add(t.outcome());
            }
            assertThat(ends).as("how each transfer ended after the channel was lost")
                    .allMatch(e -> e.contains("reading: RESET") || e.contains("writing: RESET"), "ended with a reset");
            assertThat(all).allMatch(t -> t.moved.get() < BODY);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One end of a one-way transfer of {@link #BODY} bytes, and how it ended. */
    private static final class Transfer {
        final String name;
        final AtomicLong moved = new AtomicLong();
        final CompletableFuture<String> end;

        Transfer(String name, Socket s, ExecutorService pool, boolean writes) {
            this.name = name;
            end = CompletableFuture.supplyAsync(() -> writes ? write(s) : read(s), pool);
        }

        String outcome() throws Exception {
            return name + ": " + end.get(40, TimeUnit.SECONDS) + " after " + moved.get() + " bytes";
        }

        private String write(Socket s) {
            try {
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (long sent = 0; sent < BODY; sent += chunk.length) {
                    out.write(chunk);
                    moved.addAndGet(chunk.length);
                }
                s.shutdownOutput();
                return "DONE";
            } catch (IOException e) {
                return outcomeOf(e);
            }
        }

        private String read(Socket s) {
            byte[] buf = new byte[64 * 1024];
            try {
                InputStream in = s.getInputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    moved.addAndGet(n);
                }
                return "EOF";
            } catch (IOException e) {
                return outcomeOf(e);
            }
        }

        /** ECONNRESET on a read, EPIPE or ECONNRESET on a write: all say the far end was reset. */
        private static String outcomeOf(IOException e) {
            String m = String.valueOf(e.getMessage());
            return e instanceof SocketException && (m.contains("reset") || m.contains("Broken pipe")) ? "RESET" : e.toString();
        }
    }
}
