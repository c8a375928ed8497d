package io.jfrp.core.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Trust on first use, as ssh's known_hosts: the certificate a server presented the first time, one line
 * per server ({@code host:port SHA-256 first-seen}), in the client's state directory. A server whose
 * certificate is not the one kept is refused, with both fingerprints and the line to delete if the
 * change was meant. Read afresh at each check (an operator may edit it while jfrpc runs); appended to,
 * never rewritten. Thread-safe within the process.
 */
public final class KnownServers {

    /** What a check found: the certificate is the one kept, new (and now kept), or not the one kept. */
    public sealed interface Verdict {
        record Known(int line) implements Verdict {
        }

        record FirstUse() implements Verdict {
        }

        record Changed(String keptFingerprint, int line, String since) implements Verdict {
        }
    }

    private final Path file;

    public KnownServers(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Checks {@code fingerprint} (SHA-256, as {@link Fingerprints} prints it) for {@code host:port}; keeps it if new. */
    public synchronized Verdict check(String host, int port, String fingerprint) throws IOException {
        String server = host.toLowerCase(Locale.ROOT) + ":" + port;
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 2 || f[0].startsWith("#") || !f[0].equals(server)) {
                continue;
            }
            String kept = Fingerprints.normalize(f[1]);
            if (kept != null && kept.equals(Fingerprints.normalize(fingerprint))) {
                return new Verdict.Known(i + 1);
            }
            return new Verdict.Changed(f[1], i + 1, f.length > 2 ? f[2] : "?");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            Files.writeString(file, "# servers whose certificate jfrpc trusted on first use (transport.tls.trustOnFirstUse):\n"
                    + "# host:port SHA-256 first-seen; delete a line when that server's certificate changed on purpose\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its own defaults apply
            }
        }
        Files.writeString(file, server + " " + fingerprint + " " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return new Verdict.FirstUse();
    }
}
