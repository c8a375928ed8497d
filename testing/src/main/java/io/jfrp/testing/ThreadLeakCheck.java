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

    /** Generous: a leak never ends, while a loop that shuts down late under a loaded CI host does. */
    private static final long WAIT_MILLIS = 10_000;
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
                    + ": " + describe(leftOver(before)));
        }
    }

    /** Each thread with its state and where it is, so a failure says what kept it. */
    private static String describe(List<String> names) {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (names.contains(t.getName())) {
                b.append("\n  ").append(t.getName()).append(" (").append(t.getState()).append(")");
                for (int i = 0; i < Math.min(8, stack.length); i++) {
                    b.append("\n    at ").append(stack[i]);
                }
            }
        });
        return b.toString();
    }

    private static List<String> leftOver(List<String> before) {
        List<String> now = jfrpThreads();
        before.forEach(now::remove);
        return now;
    }
}
