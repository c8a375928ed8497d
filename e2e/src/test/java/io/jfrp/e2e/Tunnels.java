package io.jfrp.e2e;

import io.jfrp.client.ClientStatus;
import io.jfrp.client.JfrpClient;
import io.jfrp.client.ProxyState;
import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.config.TcpProxyConfig;
import io.jfrp.core.config.ServerConfig;
import io.jfrp.core.config.UdpProxyConfig;
import io.jfrp.core.tls.SelfSignedCertificate;
import io.jfrp.server.JfrpServer;

import io.jfrp.testing.Loopback;
import io.jfrp.testing.RandomBytes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** Starts servers and clients on loopback port 0 for a test, and waits for proxies to come up. */
final class Tunnels {

    static final String TOKEN = "e2e-token";

    private Tunnels() {
    }

    static JfrpServer server(Path dataDir) throws Exception {
        return JfrpServer.start(serverConfig(dataDir));
    }

    static ServerConfig serverConfig(Path dataDir) {
        seedCertificate(dataDir);
        return ServerConfig.defaults().withBind("127.0.0.1", 0).withAuthToken(TOKEN).withDataDir(dataDir);
    }

    private static Path sharedCertificate;

    /**
     * Every server of a test run starts with one self-signed pair, copied into its data directory:
     * keytool, which makes it, is a JVM start of its own (PemKeyPairTest covers the making).
     */
    private static synchronized void seedCertificate(Path dataDir) {
        try {
            if (sharedCertificate == null) {
                Path dir = Files.createTempDirectory("jfrp-e2e-cert-");
                SelfSignedCertificate.ensure(dir);
                dir.toFile().deleteOnExit();
                for (String f : new String[]{SelfSignedCertificate.CERT_FILE, SelfSignedCertificate.KEY_FILE}) {
                    dir.resolve(f).toFile().deleteOnExit();
                }
                sharedCertificate = dir;
            }
            Files.createDirectories(dataDir);
            for (String f : new String[]{SelfSignedCertificate.CERT_FILE, SelfSignedCertificate.KEY_FILE}) {
                if (!Files.exists(dataDir.resolve(f))) {
                    Files.copy(sharedCertificate.resolve(f), dataDir.resolve(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ClientConfig clientConfig(JfrpServer server, ProxyConfig... proxies) {
        return ClientConfig.defaults("127.0.0.1", server.port(), TOKEN, List.of(proxies));
    }

    static JfrpClient client(JfrpServer server, ProxyConfig... proxies) throws Exception {
        return JfrpClient.start(clientConfig(server, proxies));
    }

    static ProxyConfig tcp(String name, int localPort, int remotePort) {
        return new TcpProxyConfig(name, "127.0.0.1", localPort, remotePort);
    }

    static ProxyConfig udp(String name, int localPort, int remotePort) {
        return new UdpProxyConfig(name, "127.0.0.1", localPort, remotePort, UdpProxyConfig.DEFAULT_PACKET_SIZE);
    }

    /** Waits until the proxy runs and returns the port the server opened for it. */
    static int awaitRunning(JfrpClient client, String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ClientStatus.Proxy p = client.status().proxy(name);
            return p != null && p.state() == ProxyState.RUNNING;
        });
        return client.status().proxy(name).remotePort();
    }

    /** True when 32 KiB of random bytes come back intact through {@code port} within 10 s. */
    static boolean echoes(int port) {
        try {
            byte[] data = RandomBytes.of(32 * 1024, port);
            return RandomBytes.sha256(Loopback.echo(port, data, 10)).equals(RandomBytes.sha256(data));
        } catch (Exception e) {
            return false;
        }
    }

    /** Whether a datagram sent to the loopback port comes back, unchanged, within a second. */
    static boolean udpEchoes(int port) {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(1000);
            byte[] sent = RandomBytes.of(512, port);
            s.send(new java.net.DatagramPacket(sent, sent.length, InetAddress.getLoopbackAddress(), port));
            java.net.DatagramPacket got = new java.net.DatagramPacket(new byte[2048], 2048);
            s.receive(got);
            return java.util.Arrays.equals(sent, java.util.Arrays.copyOf(got.getData(), got.getLength()));
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free now, for a proxy to bind later: see {@link Loopback#freePort()}. */
    static int freePort() throws IOException {
        return Loopback.freePort();
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static ClientStatus.Proxy awaitSettled(JfrpClient client, String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ClientStatus.Proxy p = client.status().proxy(name);
            return p != null && p.state() != ProxyState.PENDING;
        });
        return client.status().proxy(name);
    }
}
