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
 * client to the server and takes its ports back at once. A lock beside the file makes sure two running
 * clients never share one runId; the operating system drops the lock when a process dies.
 */
final class RunIdStore implements AutoCloseable {

    private static final Pattern RUN_ID = Pattern.compile("(?m)^runId=([A-Za-z0-9._-]{1,64})$");

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final String runId;

    private RunIdStore(FileChannel lockChannel, FileLock lock, String runId) {
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.runId = runId;
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
            String runId = read(stateFile);
            if (runId == null) {
                runId = newRunId();
                Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
                Files.writeString(tmp, "# jfrpc state: the server knows this client by its runId\nrunId=" + runId + "\n",
                        StandardCharsets.UTF_8);
                Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return new RunIdStore(ch, lock, runId);
        } catch (IOException | RuntimeException e) {
            lock.release();
            ch.close();
            throw e;
        }
    }

    private static String read(Path stateFile) throws IOException {
        if (!Files.isRegularFile(stateFile)) {
            return null;
        }
        Matcher m = RUN_ID.matcher(Files.readString(stateFile, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : null;
    }

    String runId() {
        return runId;
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
