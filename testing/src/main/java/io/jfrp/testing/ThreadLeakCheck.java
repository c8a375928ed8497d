package io.jfrp.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fails a test that leaves a jfrp thread behind: every thread named {@code jfrps*} or {@code jfrpc*}
 * (event loops, resolvers, the admin API) that did not exist before the test must be gone within a few
 * seconds after it, once what it opened is closed. By name, not by count: a count cannot tell a leaked
 * event loop from a JDK worker that came and went.
 */
public final class ThreadLeakCheck implements BeforeEachCallback, AfterEachCallback {

    private static final long WAIT_MILLIS = 5_000;
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ThreadLeakCheck.class);

    /** Live threads of the server and the client, by name. */
    public static List<String> jfrpThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && (t.getName().startsWith("jfrps") || t.getName().startsWith("jfrpc"))) {
                names.add(t.getName());
            }
        }
        names.sort(null);
        return names;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", jfrpThreads());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) {
        List<String> before = (List<String>) context.getStore(NS).get("before");
        try {
            Awaitility.await().atMost(Duration.ofMillis(WAIT_MILLIS)).until(() -> leftOver(before).isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("threads left running " + WAIT_MILLIS + " ms after " + context.getDisplayName()
                    + ": " + leftOver(before));
        }
    }

    private static List<String> leftOver(List<String> before) {
        List<String> now = jfrpThreads();
        before.forEach(now::remove);
        return now;
    }
}
