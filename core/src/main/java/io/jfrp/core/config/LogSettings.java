package io.jfrp.core.config;

import java.util.List;

/**
 * frp's log.* keys: where to ("console" or a file), how much, and how many days of files to keep; and
 * jfrp's {@code log.format}: {@code text} (a line an operator reads) or {@code json} (one object a line,
 * for log shippers).
 */
public record LogSettings(String to, String level, int maxDays, boolean json) {

    public static final LogSettings DEFAULT = new LogSettings("console", "info", 3, false);

    public LogSettings(String to, String level, int maxDays) {
        this(to, level, maxDays, false);
    }

    static LogSettings read(ConfigSection s) {
        String to = s.string("log.to", "console");
        String level = s.oneOf("log.level", "info", List.of("trace", "debug", "info", "warn", "error"));
        int maxDays = (int) s.integer("log.maxDays", 3, 0, 3650);
        boolean json = s.oneOf("log.format", "text", List.of("text", "json")).equals("json");
        s.noEffect("log.disablePrintColor", "jfrp prints no colours");
        return new LogSettings(to.isEmpty() ? "console" : to, level, maxDays, json);
    }
}
