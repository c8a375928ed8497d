package io.jfrp.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.time.Instant;

/**
 * {@code log.format = "json"}: one JSON object a line, for log shippers:
 * {@code {"time":"2026-12-07T10:04:18.428Z","level":"WARN","logger":"ControlLoop","thread":"...","message":"...",
 * "stack":"..."}}. Strings are escaped by Jackson's encoder (already on the classpath): a message that
 * carries a peer's text cannot break the line or forge a field.
 */
final class JsonLogLayout extends LayoutBase<ILoggingEvent> {

    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(200);
        line.append("{\"time\":\"").append(Instant.ofEpochMilli(event.getTimeStamp())).append('"');
        field(line, "level", event.getLevel().toString());
        String logger = event.getLoggerName();
        field(line, "logger", logger.substring(logger.lastIndexOf('.') + 1));
        field(line, "thread", event.getThreadName());
        field(line, "message", event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            field(line, "stack", ThrowableProxyUtil.asString(thrown));
        }
        return line.append('}').append(CoreConstants.LINE_SEPARATOR).toString();
    }

    private static void field(StringBuilder line, String name, String value) {
        line.append(",\"").append(name).append("\":\"");
        ESCAPE.quoteAsString(value == null ? "" : value, line);
        line.append('"');
    }

    static LayoutWrappingEncoder<ILoggingEvent> encoder(Context ctx) {
        return LogLineLayout.encoder(ctx, new JsonLogLayout());
    }
}
