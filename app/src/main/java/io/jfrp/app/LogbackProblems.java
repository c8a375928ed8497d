package io.jfrp.app;

import ch.qos.logback.core.Context;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import ch.qos.logback.core.status.StatusManager;

import java.io.PrintStream;

/**
 * Logback's own warnings and errors (a log file it cannot open, say), printed to stderr as they happen
 * and for the whole life of the process. Without a listener Logback prints them once, at start-up only,
 * through its StatusPrinter, whose date formatter loads ~45 classes of java.time into every process
 * for lines it almost never writes; a problem met later (log.to applied from the config) went unsaid.
 */
final class LogbackProblems implements StatusListener {

    private final PrintStream err;

    LogbackProblems(PrintStream err) {
        this.err = err;
    }

    /** Registers a listener on {@code ctx} and says what was already reported before it was there. */
    static void listen(Context ctx, PrintStream err) {
        LogbackProblems listener = new LogbackProblems(err);
        StatusManager statuses = ctx.getStatusManager();
        statuses.add(listener);
        for (Status s : statuses.getCopyOfStatusList()) {
            listener.addStatusEvent(s);
        }
    }

    @Override
    public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() < Status.WARN) {
            return;
        }
        StringBuilder line = new StringBuilder("logback ")
                .append(status.getEffectiveLevel() >= Status.ERROR ? "ERROR: " : "WARN: ").append(status.getMessage());
        for (Throwable t = status.getThrowable(); t != null; t = t.getCause()) {
            line.append(line.charAt(line.length() - 1) == '.' ? " " : ": ").append(t);
        }
        err.println(line);
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }
}
