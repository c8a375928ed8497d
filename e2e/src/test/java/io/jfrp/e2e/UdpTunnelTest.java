package io.jfrp.e2e;

import io.jfrp.client.JfrpClient;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.UdpSettings;
import io.jfrp.core.lifecycle.LifecycleEvent;
import io.jfrp.server.JfrpServer;
import io.jfrp.testing.EchoServer;
import io.jfrp.testing.FaultRelay;
import io.jfrp.testing.LeakCheck;
import io.jfrp.testing.RandomBytes;
import io.jfrp.testing.ThreadLeakCheck;
import io.jfrp.testing.UdpEchoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Datagrams through a real UDP proxy: each one whole and alone, from many user addresses, and flows that idle. */
@ExtendWith({LeakCheck.class, ThreadLeakCheck.class})
class UdpTunnelTest {

    private static final int USERS = 50;
    private static final int PER_USER = 200;
    /** Datagrams a user has in flight at once: loopback loses none at this pace, so loss is jfrp's. */
    private static final int IN_FLIGHT = 8;

    @TempDir
    Path dir;
    @RegisterExtension
    final Closer closer = new Closer();
    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();

    /** What one user address saw: datagrams lost, changed, or answered from another port than the proxy's. */
    private record Outcome(int sent, int lost, int corrupted, int wrongSource) {
    }

    @Test
    void tenThousandDatagramsOfRandomSizesFromFiftyAddressesComeBackWholeAndInOnePiece() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)));
        UdpEchoServer echo = closer.keep(new UdpEchoServer());
        JfrpClient client = closer.keep(Tunnels.client(server, Tunnels.udp("dns", echo.port(), 0)));
        int port = Tunnels.awaitRunning(client, "dns");

        ExecutorService pool = Executors.newFixedThreadPool(USERS);
        List<Outcome> outcomes = new ArrayList<>();
        try {
            List<Future<Outcome>> users = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                int user = u;
                users.add(pool.submit(() -> talk(port, user)));
            }
            for (Future<Outcome> f : users) {
                outcomes.add(f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        int sent = outcomes.stream().mapToInt(Outcome::sent).sum();
        assertThat(sent).isEqualTo(USERS * PER_USER);
        assertThat(outcomes.stream().mapToInt(Outcome::corrupted).sum()).as("datagrams changed, split or merged").isZero();
        assertThat(outcomes.stream().mapToInt(Outcome::wrongSource).sum()).as("replies from another port").isZero();
        assertThat(outcomes.stream().mapToInt(Outcome::lost).sum()).as("datagrams lost on loopback").isZero();
        // Each reached the service as one datagram, and each user address had a socket of its own there.
        assertThat(echo.datagrams()).isEqualTo(sent);
        assertThat(echo.senders()).hasSize(USERS);
    }

    /**
     * Sends {@link #PER_USER} datagrams of random sizes (8 to 1,500 bytes: a header of user and sequence,
     * then seeded bytes) from one socket, {@link #IN_FLIGHT} at a time, and checks each reply against
     * what was sent under its sequence number.
     */
    private static Outcome talk(int port, int user) throws IOException {
        InetSocketAddress proxy = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        SplittableRandom sizes = new SplittableRandom(user);
        byte[][] sent = new byte[PER_USER][];
        boolean[] back = new boolean[PER_USER];
        int corrupted = 0;
        int wrongSource = 0;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(3000);
            byte[] buf = new byte[2048];
            for (int first = 0; first < PER_USER; first += IN_FLIGHT) {
                int last = Math.min(first + IN_FLIGHT, PER_USER);
                for (int seq = first; seq < last; seq++) {
                    byte[] d = RandomBytes.of(8 + sizes.nextInt(1500 - 8 + 1), user * 100_000L + seq);
                    ByteBuffer.wrap(d).putInt(user).putInt(seq);
                    sent[seq] = d;
                    s.send(new DatagramPacket(d, d.length, proxy));
                }
                for (int waiting = last - first; waiting > 0; waiting--) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        s.receive(p);
                    } catch (SocketTimeoutException e) {
                        break; // the rest of this window is lost
                    }
                    if (p.getPort() != port) {
                        wrongSource++;
                    }
                    int seq = p.getLength() >= 8 ? ByteBuffer.wrap(buf).getInt(4) : -1;
                    if (seq < 0 || seq >= PER_USER || sent[seq] == null || back[seq]
                            || !Arrays.equals(buf, 0, p.getLength(), sent[seq], 0, sent[seq].length)) {
                        corrupted++;
                    } else {
                        back[seq] = true;
                    }
                }
            }
        }
        int lost = 0;
        for (boolean b : back) {
            lost += b ? 0 : 1;
        }
        return new Outcome(PER_USER, lost, corrupted, wrongSource);
    }

    @Test
    void aFlowThatIdlesEndsCleanlyAndTheSameAddressIsServedAgain() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)
                .withUdp(new UdpSettings(1500, Duration.ofMillis(300))), events::add));
        UdpEchoServer echo = closer.keep(new UdpEchoServer());
        JfrpClient client = closer.keep(Tunnels.client(server, Tunnels.udp("game", echo.port(), 0)));
        int port = Tunnels.awaitRunning(client, "game");
        try (DatagramSocket user = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            user.setSoTimeout(5000);
            assertThat(roundTrip(user, port, "first")).isEqualTo("first");
            await().atMost(Duration.ofSeconds(10)).until(() -> !closedStreams().isEmpty());
            LifecycleEvent.StreamClosed closed = closedStreams().get(0);
            assertThat(closed.broken()).as("an idle flow ends cleanly").isFalse();
            assertThat(closed.bytesIn()).isEqualTo(5);
            assertThat(closed.bytesOut()).isEqualTo(5);

            assertThat(roundTrip(user, port, "second")).isEqualTo("second");
            assertThat(events.stream().filter(e -> e instanceof LifecycleEvent.StreamOpened).count()).isEqualTo(2);
            // The new flow reached the service from a new socket: the first one's was closed.
            assertThat(echo.senders()).hasSize(2);
        }
    }

    @Test
    void aTcpAndAUdpProxyShareOnePortNumber() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)));
        EchoServer tcpEcho = closer.keep(new EchoServer());
        UdpEchoServer udpEcho = closer.keep(new UdpEchoServer());
        JfrpClient tcpClient = closer.keep(Tunnels.client(server, Tunnels.tcp("web", tcpEcho.port(), 0)));
        int port = Tunnels.awaitRunning(tcpClient, "web");
        JfrpClient udpClient = closer.keep(Tunnels.client(server, Tunnels.udp("dns", udpEcho.port(), port)));
        assertThat(Tunnels.awaitRunning(udpClient, "dns")).isEqualTo(port);
        try (DatagramSocket user = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            user.setSoTimeout(5000);
            assertThat(roundTrip(user, port, "over udp")).isEqualTo("over udp");
        }
        assertThat(Tunnels.echoes(port)).isTrue();
    }

    @Test
    void aUserAddressIsAnsweredAgainOnTheSamePortAfterTheClientsConnectionIsLostAndBack() throws Exception {
        JfrpServer server = closer.keep(JfrpServer.start(Tunnels.serverConfig(dir)));
        UdpEchoServer echo = closer.keep(new UdpEchoServer());
        FaultRelay relay = closer.keep(new FaultRelay(server.port()));
        JfrpClient client = closer.keep(JfrpClient.start(ClientConfig.defaults("127.0.0.1", relay.port(), Tunnels.TOKEN,
                        List.of(Tunnels.udp("voip", echo.port(), 0)))
                .withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .withStateFile(dir.resolve("frpc.toml.state"))));
        int port = Tunnels.awaitRunning(client, "voip");
        try (DatagramSocket user = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            user.setSoTimeout(300);
            assertThat(roundTrip(user, port, "before")).isEqualTo("before");

            relay.mode(FaultRelay.Mode.REFUSE);
            relay.resetAll();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connectedCount() == 0);
            relay.mode(FaultRelay.Mode.PASS);
            // Datagrams sent while the client is away are lost, as UDP loses them; once it is back the
            // same user, on the same port, is answered by a new flow.
            int[] tries = {0};
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                String text = "after-" + tries[0]++;
                try {
                    return roundTrip(user, port, text).equals(text);
                } catch (java.net.SocketTimeoutException e) {
                    return false;
                }
            });
            assertThat(client.status().proxy("voip").remotePort()).isEqualTo(port);
        }
    }

    private List<LifecycleEvent.StreamClosed> closedStreams() {
        return events.stream().filter(e -> e instanceof LifecycleEvent.StreamClosed)
                .map(e -> (LifecycleEvent.StreamClosed) e).toList();
    }

    private static String roundTrip(DatagramSocket user, int port, String text) throws IOException {
        byte[] d = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        user.send(new DatagramPacket(d, d.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        user.receive(p);
        assertThat(p.getPort()).as("the reply comes from the proxy's port").isEqualTo(port);
        return new String(buf, 0, p.getLength(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
