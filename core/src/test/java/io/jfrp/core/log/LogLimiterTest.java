package io.jfrp.core.log;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** One line a window per kind, with the count it swallowed, in a table no peer can grow without bound. */
class LogLimiterTest {

    @Test
    void firstThenSilentThenASummary() {
        AtomicLong now = new AtomicLong();
        LogLimiter l = new LogLimiter(Duration.ofSeconds(60), now::get);
        assertThat(l.admit("k")).isEmpty();
        assertThat(l.admit("k")).isNull();
        assertThat(l.admit("k")).isNull();
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        assertThat(l.admit("k")).isEqualTo(" (2 more like this since the last report)");
    }

    @Test
    void aPeerInventingNamesCostsABoundedTable() {
        AtomicLong now = new AtomicLong();
        LogLimiter l = new LogLimiter(Duration.ofSeconds(60), now::get);
        int lines = 0;
        for (int i = 0; i < 100_000; i++) {
            if (l.admit("proxy-refused run-1 name-" + i) != null) {
                lines++;
            }
        }
        assertThat(l.size()).isLessThanOrEqualTo(LogLimiter.MAX_KINDS + 1);
        assertThat(lines).as("one line a kind until the table is full, then one for all the rest")
                .isEqualTo(LogLimiter.MAX_KINDS + 1);
        // A window later the stale kinds make room again.
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        assertThat(l.admit("a new kind")).isEmpty();
        assertThat(l.size()).isLessThanOrEqualTo(LogLimiter.MAX_KINDS + 1);
    }

    @Test
    void aFloodThatStoppedIsReportedByTheNextAskAWindowLaterOnce() {
        AtomicLong now = new AtomicLong();
        LogLimiter l = new LogLimiter(Duration.ofSeconds(60), now::get);
        l.admit("login-refused");
        for (int i = 0; i < 9_999; i++) {
            l.admit("login-refused");
        }
        assertThat(l.overdue()).as("within the window").isEmpty();
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        assertThat(l.overdue()).containsExactly(java.util.Map.entry("login-refused", 9_999L));
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        assertThat(l.overdue()).as("nothing swallowed since").isEmpty();
        assertThat(l.admit("login-refused")).as("the next one is a line of its own, with no count").isEmpty();
    }
}
