package io.jfrp.core.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** frp's convention for times: a bare integer is seconds; a string takes units ("500ms", "30s", "2m", "1h30m"). */
final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    static final String EXPECTED = "a duration: an integer of seconds, or a string such as \"500ms\", \"30s\", \"2m\"";

    private Durations() {
    }

    /** @return the duration, or null when {@code value} is not one */
    static Duration parse(Object value) {
        if (value instanceof Long l) {
            return Duration.ofSeconds(l);
        }
        if (value instanceof Double d) {
            return Duration.ofMillis(Math.round(d * 1000));
        }
        if (!(value instanceof String s)) {
            return null;
        }
        String t = s.trim();
        if (t.matches("-?\\d+")) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        Matcher m = PART.matcher(t);
        long nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            double amount = Double.parseDouble(m.group(1));
            long unitNanos = switch (m.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos += Math.round(amount * unitNanos);
            end = m.end();
        }
        return end == t.length() && end > 0 ? Duration.ofNanos(nanos) : null;
    }

    /** Short human form for messages and docs: 500ms, 30s, 2m. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
