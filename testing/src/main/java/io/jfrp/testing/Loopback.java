package io.jfrp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Client-side helpers for tests: reserved ports, and a full-duplex echo round trip with checksums. */
public final class Loopback {
    private Loopback() {
    }

    /**
     * A port free now, for a proxy or a service to bind later. Not one from port 0: that is an ephemeral port, and an
     * outgoing connection of the same test (a client's control connection, a dial to the echo service) can
     * take it before the proxy binds it; a proxy then kept failing with "already in use" (CI, 2026-12-07).
     * Ports are handed out in turn from a random start below the kernel's ephemeral range, so none twice.
     */
    public static int freePort() throws IOException {
        int low = ephemeralLow();
        if (low - FIRST_PORT < 1000) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
        for (int i = 0; i < 1000; i++) {
            int port = FIRST_PORT + Math.floorMod(NEXT_PORT.getAndIncrement(), low - FIRST_PORT);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                // a listener of this host has it: the next one
            }
        }
        throw new IOException("no free port between " + FIRST_PORT + " and " + low);
    }

    /** Above the fixed ranges some tests give allowPorts (21000-21999). */
    private static final int FIRST_PORT = 22_000;
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT =
            new java.util.concurrent.atomic.AtomicInteger(new java.util.Random().nextInt(10_000));

    /**
     * The lowest port the kernel gives outgoing connections (Linux; 32768 where it cannot be read). By line:
     * {@code Files.readString} of this /proc file returned its first byte alone ("3").
     */
    private static int ephemeralLow() {
        try {
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
                    .trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    /**
     * A loopback port that is bound but never listens, for as long as the socket stays open: a
     * connection to it is refused, and nobody else can take it meanwhile (a port found free and closed
     * again could be taken by the time the test used it). SO_REUSEADDR is on, so a listener that also
     * sets it can bind the same port while this holds it: the service that "comes back".
     */
    public static Socket reservedPort() throws IOException {
        Socket s = new Socket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return s;
    }

    /**
     * Writes {@code data} to 127.0.0.1:port while reading the echo on another thread, then half-closes.
     * @return what came back, which the caller compares by checksum
     */
    public static byte[] echo(int port, byte[] data, long timeoutSeconds) throws Exception {
        try (Socket s = new Socket()) {
            s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(timeoutSeconds));
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> readAll(s, data.length));
            OutputStream out = s.getOutputStream();
            for (int off = 0; off < data.length; off += 64 * 1024) {
                out.write(data, off, Math.min(64 * 1024, data.length - off));
            }
            out.flush();
            s.shutdownOutput();
            return reader.get(timeoutSeconds, TimeUnit.SECONDS);
        }
    }

    /** How a connection ended for its reader. */
    public enum End { EOF, RESET }

    /**
     * A local service that breaks: accepts one connection on {@code service}, sends it {@code bytes}
     * bytes, waits for one byte from it (so the far side has them all), then resets it (SO_LINGER 0).
     */
    public static CompletableFuture<Void> sendThenReset(ServerSocket service, int bytes) {
        return CompletableFuture.runAsync(() -> {
            try (Socket c = service.accept()) {
                c.getOutputStream().write(new byte[bytes]);
                c.getInputStream().read();
                c.setSoLinger(true, 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Reads and discards until the connection ends; a reset (ECONNRESET) is how a broken connection
     * must look, an EOF how a complete one does. A read timeout is thrown, not reported as either.
     */
    public static End readToEnd(Socket s) throws IOException {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = s.getInputStream();
            while (in.read(buf) >= 0) {
                // discard
            }
            return End.EOF;
        } catch (java.net.SocketTimeoutException e) {
            throw e;
        } catch (java.net.SocketException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return End.RESET;
            }
            throw e;
        }
    }

    /** Reads until EOF or {@code expected} bytes, whichever comes first. */
    public static byte[] readAll(Socket s, int expected) {
        try {
            InputStream in = s.getInputStream();
            byte[] got = new byte[expected];
            int off = 0;
            while (off < expected) {
                int n = in.read(got, off, expected - off);
                if (n < 0) {
                    break;
                }
                off += n;
            }
            return off == expected ? got : java.util.Arrays.copyOf(got, off);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
