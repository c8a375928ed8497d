package io.jfrp.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code autoReload = true} (jfrp): watches the config file and applies it when it changes, as
 * {@code jfrpc reload} would: an invalid file changes nothing and its problems are logged. Editors
 * write a file in several steps, or write another and rename it over: a change is applied once the file
 * has been quiet for {@link #SETTLE_MILLIS}. The directory is watched (a rename replaces the file's
 * inode), on a daemon thread of its own, closed with the client. Files the config includes are not
 * watched: save the main file, or run {@code jfrpc reload}.
 */
final class ConfigWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatch.class);
    static final long SETTLE_MILLIS = 300;

    private final Path file;
    private final WatchService watch;
    private final Supplier<String> reload;
    private final Thread thread;

    private ConfigWatch(Path file, WatchService watch, Supplier<String> reload) {
        this.file = file;
        this.watch = watch;
        this.reload = reload;
        this.thread = new Thread(this::run, "jfrpc-config-watch");
        thread.setDaemon(true);
    }

    /** @param reload applies the file; returns what changed, or throws IllegalArgumentException with its problems */
    static ConfigWatch start(Path file, Supplier<String> reload) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        WatchService w = FileSystems.getDefault().newWatchService();
        dir.register(w, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        ConfigWatch c = new ConfigWatch(file.toAbsolutePath(), w, reload);
        c.thread.start();
        log.info("autoReload: watching {} for changes", file);
        return c;
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.take();
                boolean ours = events(key);
                // Settle: take what else arrives until the file has been quiet for a while.
                WatchKey more;
                while ((more = watch.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    ours |= events(more);
                }
                if (ours) {
                    apply();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed with the client
        }
    }

    private boolean events(WatchKey key) {
        boolean ours = false;
        for (WatchEvent<?> e : key.pollEvents()) {
            if (e.context() instanceof Path p && p.equals(file.getFileName())) {
                ours = true;
            }
        }
        key.reset();
        return ours;
    }

    private void apply() {
        try {
            log.info("config file {} changed: {}", file, reload.get());
        } catch (IllegalArgumentException e) {
            log.warn("config file {} changed but is not valid; nothing changed: {}", file, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("config file {} changed but could not be applied: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (IOException e) {
            // closing anyway
        }
        thread.interrupt();
    }
}
