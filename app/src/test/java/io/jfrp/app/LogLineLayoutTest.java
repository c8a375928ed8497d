package io.jfrp.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogLineLayoutTest {

    private final LoggerContext ctx = new LoggerContext();

    @Test
    void writesWhatTheLogbackPatternItReplacesWrites() {
        LoggingEvent event = new LoggingEvent("x", ctx.getLogger("io.jfrp.client.ControlLoop"), Level.WARN,
                "proxy {}: {}", null, new Object[]{"web", "refused"});
        event.setTimeStamp(1_795_708_196_123L);

        assertThat(layout().doLayout(event)).isEqualTo(pattern().doLayout(event))
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.123 WARN  ControlLoop      proxy web: refused\\R");
    }

    @Test
    void aLongLoggerNameIsNotCutAndAStackTraceFollows() {
        LoggingEvent event = new LoggingEvent("x", ctx.getLogger("io.jfrp.server.AVeryLongLoggerClassName"),
                Level.ERROR, "failed", new IllegalStateException("boom"), null);

        String line = layout().doLayout(event);

        assertThat(line).contains(" ERROR AVeryLongLoggerClassName failed")
                .contains("java.lang.IllegalStateException: boom")
                .contains("\tat io.jfrp.app.LogLineLayoutTest");
        assertThat(line.lines().count()).isGreaterThan(2);
    }

    private LogLineLayout layout() {
        LogLineLayout layout = new LogLineLayout();
        layout.setContext(ctx);
        layout.start();
        return layout;
    }

    /** The layout this class replaced, to compare against (tests only: it is what the change avoids loading). */
    private PatternLayout pattern() {
        PatternLayout p = new PatternLayout();
        p.setContext(ctx);
        p.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %-16logger{0} %msg%n");
        p.start();
        return p;
    }
}
