package io.jfrp.core.config;

import java.util.ArrayList;
import java.util.List;

/** frp's allowPorts: a list of ranges; empty means every port is allowed. */
public record PortRanges(List<int[]> ranges) {

    public static final PortRanges ALL = new PortRanges(List.of());

    public PortRanges {
        ranges = List.copyOf(ranges);
    }

    public boolean allows(int port) {
        if (ranges.isEmpty()) {
            return true;
        }
        for (int[] r : ranges) {
            if (port >= r[0] && port <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /** By the ports the ranges hold, as written: a record compares arrays by identity, and a reload compares configs. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PortRanges other) || other.ranges.size() != ranges.size()) {
            return false;
        }
        for (int i = 0; i < ranges.size(); i++) {
            if (!java.util.Arrays.equals(ranges.get(i), other.ranges.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int[] r : ranges) {
            h = 31 * h + java.util.Arrays.hashCode(r);
        }
        return h;
    }

    public boolean isAll() {
        return ranges.isEmpty();
    }

    /** As the operator wrote it, for error messages: "2000-3000, 3001". */
    @Override
    public String toString() {
        if (ranges.isEmpty()) {
            return "all ports";
        }
        List<String> parts = new ArrayList<>();
        for (int[] r : ranges) {
            parts.add(r[0] == r[1] ? String.valueOf(r[0]) : r[0] + "-" + r[1]);
        }
        return String.join(", ", parts);
    }

    /**
     * frp's text form, {@code "2000-3000,3001"}: the ranges, in order; each part that is not a port or
     * a range of ports goes to {@code bad} and is left out.
     */
    static List<int[]> parse(String text, java.util.function.Consumer<String> bad) {
        List<int[]> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            try {
                String[] ends = p.split("-", 2);
                int a = Integer.parseInt(ends[0].trim());
                int b = ends.length == 2 ? Integer.parseInt(ends[1].trim()) : a;
                if (a < 1 || b > 65535 || a > b) {
                    throw new NumberFormatException();
                }
                out.add(new int[]{a, b});
            } catch (NumberFormatException e) {
                bad.accept(p);
            }
        }
        return out;
    }

    static PortRanges read(ConfigSection s, String key) {
        if (!s.has(key)) {
            return ALL;
        }
        ConfigNode n = s.node(key);
        List<int[]> out = new ArrayList<>();
        if (n.value() instanceof String text) {
            // frp's INI form "2000-3000,3001" still turns up in converted configs; read it too.
            return new PortRanges(parse(text, bad -> s.problem(key, n, "\"" + bad
                    + "\" (expected: a port or a range such as 2000-3000)")));
        }
        for (ConfigSection r : s.tables(key)) {
            boolean single = r.has("single");
            int a;
            int b;
            if (single) {
                a = b = r.port("single", 0, false);
                if (r.has("start") || r.has("end")) {
                    r.problem("single", r.node("single"), "give either single or start/end, not both");
                }
            } else {
                a = r.port("start", 1, false);
                b = r.port("end", 65535, false);
                if (!r.has("start") && !r.has("end")) {
                    r.problem("", null, "empty range (expected: { start = 2000, end = 3000 } or { single = 3001 })");
                    continue;
                }
                if (a > b) {
                    r.problem("end", r.node("end"), b + " (expected: >= start " + a + ")");
                    continue;
                }
            }
            r.finish();
            out.add(new int[]{a, b});
        }
        return new PortRanges(out);
    }
}
