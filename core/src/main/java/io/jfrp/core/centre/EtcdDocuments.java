package io.jfrp.core.centre;

import io.jfrp.core.config.ConfigDocument;
import io.jfrp.core.config.EtcdSource;
import io.jfrp.core.log.PeerText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * configSource.etcd: the documents under a key prefix, kept current (a client's proxies, a server's users). A watch brings a change within
 * {@link #SETTLE_MILLIS} of its write (changes that come together are applied once); a full read every
 * {@link #RESYNC} catches what a watch may miss across an outage, and tells etcd down from up. What the
 * client applied last is kept on disk ({@link EtcdCopy}): a client whose etcd is down starts and runs on
 * it, says so once, and says so again when etcd is back. All state is confined to one thread of its own.
 */
public final class EtcdDocuments implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EtcdDocuments.class);
    static final long SETTLE_MILLIS = 100;
    static final Duration RESYNC = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

    private final EtcdSource source;
    private final EtcdCopy copy;
    private final EtcdKeys client;
    private final ScheduledExecutorService thread;
    /** The documents as etcd has them now, as far as this client knows (key -> text). */
    private final Map<String, String> seen = new TreeMap<>();
    /** The documents applied last; what a reload of the file is read with. */
    private volatile List<ConfigDocument> applied = List.of();
    private long revision;
    private EtcdKeys.Watch watcher;
    private ScheduledFuture<?> pending;
    private ScheduledFuture<?> resync;
    /** Called with the documents to apply; true when they were applied (not refused, not rolled back). */
    private Predicate<List<ConfigDocument>> apply = d -> true;
    /** Documents refused last: the resync does not try them again (nor log them again) until they change. */
    private List<ConfigDocument> refused = List.of();
    /** Null while etcd answers; else when it stopped answering, for the log. */
    private String downSince;

    private EtcdDocuments(EtcdSource source, EtcdCopy copy, EtcdKeys client, String threadName) {
        this.source = source;
        this.copy = copy;
        this.client = client;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param configFile the file the documents are read with (the client's or the server's config)
     * @param copyFile where the last applied documents are kept; null keeps none
     * @param threadName the thread that follows etcd (jfrpc-etcd, jfrps-etcd)
     * @throws IOException when there is no config file to read the documents with, or no etcd client to
     *         read them with ({@link EtcdLibrary})
     */
    public static EtcdDocuments open(EtcdSource source, Path configFile, Path copyFile, String threadName)
            throws IOException {
        if (configFile == null || !java.nio.file.Files.isRegularFile(configFile)) {
            throw new IOException("configSource.etcd needs a config file to read its documents with");
        }
        EtcdKeys.Connector connector = EtcdLibrary.connector();
        EtcdKeys keys;
        try {
            keys = connector.connect(source, READ_TIMEOUT);
        } catch (LinkageError e) {
            throw EtcdLibrary.mismatched(e);
        }
        return new EtcdDocuments(source, new EtcdCopy(copyFile), keys, threadName);
    }

    /**
     * The documents to start with: etcd's, read now, or when etcd does not answer, the copy kept of what
     * was applied last (said in the log).
     * @throws IOException when etcd does not answer and no copy was kept
     */
    private List<ConfigDocument> initial() throws IOException {
        return call(() -> {
            try {
                read();
                log.info("config source {}: {} document(s) at revision {}", source.describe(), seen.size(), revision);
                return documents(seen);
            } catch (Exception e) {
                EtcdCopy.Kept kept = copy.load();
                String why = reason(e);
                downSince = java.time.Instant.now().toString();
                if (kept == null) {
                    throw new IOException("config source " + source.describe() + " does not answer (" + why
                            + ") and no copy of its documents was kept" + (copy.file() == null ? "" : " in " + copy.file()));
                }
                seen.clear();
                seen.putAll(kept.documents());
                revision = kept.revision();
                log.warn("config source {} does not answer ({}): running on the copy of revision {} kept in {} ({}); "
                        + "it is read again when etcd answers", source.describe(), why, kept.revision(), copy.file(), kept.savedAt());
                return documents(seen);
            }
        });
    }

    /**
     * The documents to start with ({@link #initial}), handed to {@code read}: its result, or null when it
     * refused them (then they are not tried again until they change, and the side starts without them).
     * On failure this is closed.
     */
    public <T> T start(java.util.function.Function<List<ConfigDocument>, T> read) throws IOException {
        try {
            List<ConfigDocument> docs = initial();
            T taken = read.apply(docs);
            if (taken == null) {
                refused = docs;
            } else {
                applied = docs;
            }
            return taken;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts the watch and the resync; {@code apply} is then called with each change (on this thread of ours). */
    public void follow(Predicate<List<ConfigDocument>> apply) {
        thread.execute(() -> {
            this.apply = apply;
            if (downSince == null) {
                saveCopy();
                watch();
            }
            resync = thread.scheduleWithFixedDelay(this::resync, RESYNC.toMillis(), RESYNC.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** The documents applied last (a reload of the file reads them with it). */
    public List<ConfigDocument> applied() {
        return applied;
    }

    private void read() throws Exception {
        EtcdKeys.Snapshot r = client.read(READ_TIMEOUT);
        seen.clear();
        seen.putAll(r.values());
        revision = r.revision();
    }

    private void watch() {
        if (watcher != null) {
            watcher.close();
        }
        watcher = client.watch(revision + 1, new EtcdKeys.Watcher() {
            @Override
            public void changed(List<EtcdKeys.Change> changes) {
                post(() -> EtcdDocuments.this.changed(changes));
            }

            @Override
            public void failed(Throwable why) {
                post(() -> watchEnded(reason(why)));
            }

            @Override
            public void completed() {
                post(() -> watchEnded("the watch was closed"));
            }
        });
    }

    /** The client's callbacks, handed to our thread; after close (jetcd completes its watches as it closes) there is none. */
    private void post(Runnable r) {
        try {
            thread.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private void changed(List<EtcdKeys.Change> changes) {
        for (EtcdKeys.Change c : changes) {
            if (c.value() == null) {
                seen.remove(c.key());
            } else {
                seen.put(c.key(), c.value());
            }
            revision = Math.max(revision, c.revision());
        }
        if (pending != null) {
            pending.cancel(false);
        }
        pending = thread.schedule(this::applySeen, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void watchEnded(String why) {
        watcher = null;
        if (downSince == null) {
            downSince = java.time.Instant.now().toString();
            log.warn("config source {}: the watch ended ({}); running on revision {}, read again every {} s",
                    source.describe(), why, revision, RESYNC.toSeconds());
        }
    }

    /** A full read: how an outage is noticed, how its end is, and what the watch missed meanwhile. */
    private void resync() {
        try {
            read();
        } catch (Exception e) {
            if (downSince == null) {
                downSince = java.time.Instant.now().toString();
                log.warn("config source {} does not answer ({}): running on revision {} as applied; read again every {} s",
                        source.describe(), reason(e), revision, RESYNC.toSeconds());
            }
            return;
        }
        if (downSince != null) {
            log.info("config source {} answers again (down since {}): revision {}", source.describe(), downSince, revision);
            downSince = null;
            watch();
        } else if (watcher == null) {
            watch();
        }
        applySeen();
    }

    private void applySeen() {
        pending = null;
        List<ConfigDocument> next = documents(seen);
        if (next.equals(applied) || next.equals(refused)) {
            return;
        }
        if (apply.test(next)) {
            applied = next;
            refused = List.of();
            saveCopy();
        } else {
            refused = next;
        }
    }

    private void saveCopy() {
        try {
            copy.save(revision, applied);
        } catch (IOException e) {
            log.warn("config source {}: cannot keep a copy of its documents in {}: {}", source.describe(), copy.file(),
                    e.getMessage());
        }
    }

    private static List<ConfigDocument> documents(Map<String, String> m) {
        List<ConfigDocument> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(new ConfigDocument(k, v)));
        return List.copyOf(out);
    }

    private static String reason(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof java.util.concurrent.TimeoutException) {
            return "no answer within " + READ_TIMEOUT.toSeconds() + " s";
        }
        return PeerText.escape(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
    }

    private <T> T call(java.util.concurrent.Callable<T> c) throws IOException {
        try {
            return thread.submit(c).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    @Override
    public void close() {
        thread.execute(() -> {
            if (resync != null) {
                resync.cancel(false);
            }
            if (watcher != null) {
                watcher.close();
            }
        });
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
