package io.jfrp.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.jfrp.core.doctor.Check;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** A doctor's findings as an operator reads them (a line each, advice below) or as JSON for a timer; the exit code. */
final class DoctorReport {

    private DoctorReport() {
    }

    /** @return 0 when nothing failed, else 1 */
    static int print(PrintWriter out, String program, String file, List<Check> checks, boolean json, String note)
            throws IOException {
        if (json) {
            out.println(json(file, checks));
        } else {
            out.println(program + ": " + file);
            checks.forEach(ch -> line(out, ch));
            if (note != null) {
                out.println("        " + note);
            }
            out.println(summary(checks));
        }
        out.flush();
        return checks.stream().anyMatch(ch -> ch.level() == Check.Level.FAIL) ? 1 : 0;
    }

    static String summary(List<Check> checks) {
        long failed = checks.stream().filter(ch -> ch.level() == Check.Level.FAIL).count();
        long warned = checks.stream().filter(ch -> ch.level() == Check.Level.WARN).count();
        return (checks.size() - failed - warned) + " passed, " + warned + " warning(s), " + failed + " failed";
    }

    static String json(String file, List<Check> checks) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("config", file);
            g.writeStringField("summary", summary(checks));
            g.writeBooleanField("ok", checks.stream().noneMatch(ch -> ch.level() == Check.Level.FAIL));
            g.writeArrayFieldStart("checks");
            for (Check ch : checks) {
                g.writeStartObject();
                g.writeStringField("name", ch.name());
                g.writeStringField("level", ch.level().name());
                g.writeStringField("detail", ch.detail());
                g.writeStringField("hint", ch.hint());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return w.toString();
    }

    private static void line(PrintWriter out, Check c) {
        out.printf("  %-5s %-16s %s%n", c.level(), c.name(), c.detail());
        if (c.level() != Check.Level.PASS && !c.hint().isEmpty()) {
            out.printf("        -> %s%n", c.hint());
        }
    }
}
