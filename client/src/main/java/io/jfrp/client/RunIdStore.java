package io.jfrp.client;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a client's runId in a state file named after its config, so a restarted client is the same
 * client to the server and takes its ports back at once, with the secret of its session on the server
 * (what proves the resuming client is the one that opened it; readable by its owner alone). A lock
 * beside the file makes sure two running clients never share one runId; the operating system drops the
 * lock when a process dies.
 */
final class RunIdStore implements AutoCloseable {

    private static final Pattern RUN_ID = Pattern.compile("(?m)^runId=([A-Za-z0-9._-]{1,64})$");
    private static final Pattern SECRET = Pattern.compile("(?m)^sessionSecret=([A-Za-z0-9._-]{1,64}):([0-9a-f]{2,128})$");
    private static final Pattern TRANSPORT = Pattern.compile("(?m)^transport=(\\S{1,300}) ([a-z]{1,16})$");

    private final Path stateFile;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final String runId;
    /** The runId the session secret belongs to (clientID may name the client instead of the kept runId). */
    private volatile String secretFor;
    private volatile byte[] sessionSecret;
    /** The server ({@code host:port}) and the transport that last carried a session to it (auto); null if none. */
    private volatile String transportServer;
    private volatile String transport;

    private RunIdStore(Path stateFile, FileChannel lockChannel, FileLock lock, String runId, String secretFor,
                       byte[] sessionSecret, String transportServer, String transport) {
        this.stateFile = stateFile;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.runId = runId;
        this.secretFor = secretFor;
        this.sessionSecret = sessionSecret;
        this.transportServer = transportServer;
        this.transport = transport;
    }

    static String newRunId() {
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    static RunIdStore open(Path stateFile) throws IOException {
        Files.createDirectories(stateFile.toAbsolutePath().getParent());
        Path lockFile = stateFile.resolveSibling(stateFile.getFileName() + ".lock");
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this very process
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("another jfrpc is already running with this config: " + lockFile
                    + " is locked (two clients must not share one runId)");
        }
        try {
            String text = Files.isRegularFile(stateFile) ? Files.readString(stateFile, StandardCharsets.UTF_8) : "";
            Matcher id = RUN_ID.matcher(text);
            Matcher secret = SECRET.matcher(text);
            Matcher transport = TRANSPORT.matcher(text);
            String runId = id.find() ? id.group(1) : null;
            boolean hasSecret = runId != null && secret.find();
            boolean hasTransport = transport.find();
            RunIdStore store = new RunIdStore(stateFile, ch, lock, runId == null ? newRunId() : runId,
                    hasSecret ? secret.group(1) : null, hasSecret ? HexFormat.of().parseHex(secret.group(2)) : null,
                    hasTransport ? transport.group(1) : null, hasTransport ? transport.group(2) : null);
            if (runId == null) {
                store.write();
            }
            return store;
        } catch (IOException | RuntimeException e) {
            lock.release();
            ch.close();
            throw e;
        }
    }

    /** Replaces the file whole (a crash leaves the old one or the new one), readable by its owner alone. */
    private void write() throws IOException {
        Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, "# jfrpc state: the server knows this client by its runId, and its session by the "
                + "secret (keep this file private)\nrunId=" + runId + "\n"
                + (sessionSecret == null ? "" : "sessionSecret=" + secretFor + ":" + HexFormat.of().formatHex(sessionSecret)
                + "\n")
                + (transport == null ? "" : "transport=" + transportServer + " " + transport + "\n"),
                StandardCharsets.UTF_8);
        Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    String runId() {
        return runId;
    }

    /** The secret of session {@code forRunId} on the server, as last handed out; null when none is kept. */
    byte[] sessionSecret(String forRunId) {
        return forRunId.equals(secretFor) ? sessionSecret : null;
    }

    /** Keeps a new session secret, so a restarted client still proves its session is its own. */
    synchronized void sessionSecret(String forRunId, byte[] secret) throws IOException {
        if (!forRunId.equals(secretFor) || !java.util.Arrays.equals(secret, sessionSecret)) {
            secretFor = forRunId;
            sessionSecret = secret.clone();
            write();
        }
    }

    /** The transport that last carried a session to {@code server} ({@code host:port}); null when none is kept. */
    String transport(String server) {
        return server.equals(transportServer) ? transport : null;
    }

    /** Keeps the transport that carried a session to {@code server}, for the next start to try first. */
    synchronized void transport(String server, String protocol) throws IOException {
        if (!server.equals(transportServer) || !protocol.equals(transport)) {
            transportServer = server;
            transport = protocol;
            write();
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
