package io.jfrp.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * jfrp's one log line: {@code 2026-11-26 16:53:11.348 WARN  ControlLoop      message}, then the stack
 * trace when there is one (the pattern {@code %d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %-16logger{0} %msg%n}).
 * Written out instead of configured as a PatternLayout: Logback's pattern machinery is ~215 classes
 * (its converter table alone is 68 lambdas), about 1.3 MB of every process, for one fixed format.
 * The time is written from its fields for the same reason: a DateTimeFormatter loads ~40 classes of
 * java.time.format that nothing else in a server or client needs.
 */
final class LogLineLayout extends LayoutBase<ILoggingEvent> {

    private static final ZoneRules ZONE = ZoneId.systemDefault().getRules();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        time(line, event.getTimeStamp(), ZONE);
        line.append(' ');
        padded(line, event.getLevel().toString(), 5);
        line.append(' ');
        String logger = event.getLoggerName();
        padded(line, logger.substring(logger.lastIndexOf('.') + 1), 16);
        line.append(' ').append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }

    /** A started encoder writing this layout, for an appender of {@code ctx}. */
    static LayoutWrappingEncoder<ILoggingEvent> encoder(Context ctx) {
        return encoder(ctx, new LogLineLayout());
    }

    /** A started encoder writing {@code layout} (this one, or {@link JsonLogLayout}). */
    static LayoutWrappingEncoder<ILoggingEvent> encoder(Context ctx, LayoutBase<ILoggingEvent> layout) {
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> enc = new LayoutWrappingEncoder<>();
        enc.setContext(ctx);
        enc.setLayout(layout);
        enc.start();
        return enc;
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSS} of {@code epochMilli} in the zone of {@code zone}. */
    static void time(StringBuilder line, long epochMilli, ZoneRules zone) {
        Instant at = Instant.ofEpochMilli(epochMilli);
        LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, zone.getOffset(at));
        digits(line, t.getYear(), 4).append('-');
        digits(line, t.getMonthValue(), 2).append('-');
        digits(line, t.getDayOfMonth(), 2).append(' ');
        digits(line, t.getHour(), 2).append(':');
        digits(line, t.getMinute(), 2).append(':');
        digits(line, t.getSecond(), 2).append('.');
        digits(line, (int) Math.floorMod(epochMilli, 1000L), 3);
    }

    private static StringBuilder digits(StringBuilder line, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            line.append('0');
        }
        return line.append(s);
    }

    private static void padded(StringBuilder line, String s, int width) {
        line.append(s);
        for (int i = s.length(); i < width; i++) {
            line.append(' ');
        }
    }
}
