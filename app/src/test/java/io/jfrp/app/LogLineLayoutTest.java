package io.jfrp.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Random;

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

    @Test
    void theTimeIsWhatTheFormatterWritesInZonesWithSummerTimeAndOddOffsets() {
        Random random = new Random(20261126);
        long[] edges = {0L, 1_711_846_799_999L, 1_711_846_800_000L, 1_729_990_799_999L, 1_729_990_800_000L,
                4_102_444_799_999L};
        for (String id : new String[]{"UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham"}) {
            ZoneId zone = ZoneId.of(id);
            DateTimeFormatter formatter = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(zone);
            for (int i = 0; i < 2_000 + edges.length; i++) {
                long millis = i < edges.length ? edges[i] : Math.floorMod(random.nextLong(), 4_102_444_800_000L);
                StringBuilder line = new StringBuilder();
                LogLineLayout.time(line, millis, zone.getRules());
                assertThat(line.toString()).as("%s at %d", id, millis)
                        .isEqualTo(formatter.format(Instant.ofEpochMilli(millis)));
            }
        }
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
