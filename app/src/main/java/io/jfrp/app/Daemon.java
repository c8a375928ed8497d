package io.jfrp.app;

import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until SIGTERM/SIGINT, then runs its shutdown once. */
final class Daemon {

    private Daemon() {
    }

    /** Blocks until the JVM is asked to stop, running {@code shutdown} on the way out. */
    static void runUntilStopped(Runnable shutdown) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            shutdown.run();
            stopped.countDown();
        }, "jfrp-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
