package io.jfrp.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The last {@link #KEPT} config files a client applied (at its start and at each reload the server took),
 * as they were, in {@code <stateDir>/<config>.applied/} (numbered, the newest highest): what
 * {@code jfrpc rollback} returns to. Written by the running client, read by the command.
 */
final class AppliedConfigs {

    static final int KEPT = 5;

    private final Path dir;

    AppliedConfigs(Path dir) {
        this.dir = dir;
    }

    /** Keeps {@code text} as the newest applied config, unless it is the newest already. */
    synchronized void applied(byte[] text) throws IOException {
        List<Path> all = entries();
        if (!all.isEmpty() && Arrays.equals(Files.readAllBytes(all.get(all.size() - 1)), text)) {
            return;
        }
        Files.createDirectories(dir);
        long next = all.isEmpty() ? 1 : number(all.get(all.size() - 1)) + 1;
        Path tmp = dir.resolve(".writing");
        Files.write(tmp, text);
        Files.move(tmp, dir.resolve(sixDigits(next)), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        for (int i = 0; i + KEPT < all.size() + 1; i++) {
            Files.deleteIfExists(all.get(i));
        }
    }

    /**
     * The config to return to from {@code current} (the file's text now): the newest applied one that is
     * not {@code current}; null when there is none.
     */
    byte[] previous(byte[] current) throws IOException {
        List<Path> all = entries();
        for (int i = all.size() - 1; i >= 0; i--) {
            byte[] b = Files.readAllBytes(all.get(i));
            if (!Arrays.equals(b, current)) {
                return b;
            }
        }
        return null;
    }

    private List<Path> entries() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("\\d{6}"))
                    .sorted((a, b) -> Long.compare(number(a), number(b))).toList();
        }
    }

    private static long number(Path p) {
        return Long.parseLong(p.getFileName().toString());
    }

    /** "000042": by hand, because String.format loads the JDK's locale data (~60 classes) into every client. */
    private static String sixDigits(long n) {
        String digits = Long.toString(n);
        return digits.length() >= 6 ? digits : "0".repeat(6 - digits.length()) + digits;
    }
}
