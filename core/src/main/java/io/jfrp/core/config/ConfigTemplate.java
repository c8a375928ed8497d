package io.jfrp.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of Go's text/template that frp's config files use, rendered before the file is parsed:
 * {@code {{ .Envs.NAME }}}, string literals, and {@code {{ range $i, $v := parseNumberRange "1000-1002" }}}
 * or {@code parseNumberRangePair "A" "B"} (with {@code $v}, {@code $v.First}, {@code $v.Second}) up to
 * {@code {{ end }}}, with {@code {{-}} and {@code -}}} trimming the space beside them as Go does. Anything
 * else between braces is a problem at its line, never passed through as text.
 * <p>
 * Written here rather than taken from a library: the Java template engines (Mustache, Pebble, Jinjava)
 * each read {@code {{ }}} with rules of their own, and frp's files need Go's, for these few forms only.
 */
final class ConfigTemplate {

    private ConfigTemplate() {
    }

    /** A piece of the parsed template: text, one action, or a range with its body. */
    private sealed interface Node permits Text, Action, Range {
    }

    private record Text(String text) implements Node {
    }

    private record Action(String expr, int line) implements Node {
    }

    private record Range(String indexVar, String valueVar, String function, List<String> args, List<Node> body,
                         int line) implements Node {
    }

    /** One number, or one pair of {@code parseNumberRangePair}. */
    private record Value(long first, long second, boolean pair) {
        @Override
        public String toString() {
            return Long.toString(first);
        }
    }

    private static final class Failed extends RuntimeException {
        final int line;

        Failed(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    /** @return the rendered text; on a problem (recorded with its line), the text as it was */
    static String render(String text, Map<String, String> env, String file, List<String> warnings,
                         List<ConfigProblem> problems) {
        if (!text.contains("{{")) {
            return text;
        }
        try {
            List<Node> nodes = parse(text);
            StringBuilder out = new StringBuilder(text.length());
            evaluate(nodes, new HashMap<>(), env, file, warnings, out);
            return out.toString();
        } catch (Failed f) {
            problems.add(new ConfigProblem(file, f.line, 0, null, "template: " + f.getMessage()));
            return text;
        }
    }

    // ---- parsing

    private static List<Node> parse(String text) {
        List<List<Node>> stack = new ArrayList<>();
        List<Range> open = new ArrayList<>();
        List<Node> current = new ArrayList<>();
        StringBuilder pendingText = new StringBuilder();
        int i = 0;
        boolean trimNext = false;
        while (i < text.length()) {
            int start = text.indexOf("{{", i);
            String plain = start < 0 ? text.substring(i) : text.substring(i, start);
            if (trimNext) {
                plain = plain.stripLeading();
            }
            pendingText.append(plain);
            if (start < 0) {
                break;
            }
            int line = lineOf(text, start);
            int end = actionEnd(text, start + 2);
            if (end < 0) {
                throw new Failed(line, "\"{{\" is never closed by \"}}\"");
            }
            String inner = text.substring(start + 2, end);
            if (inner.startsWith("- ") || inner.equals("-")) {
                trimTrailing(pendingText);
                inner = inner.substring(1);
            }
            trimNext = inner.endsWith(" -");
            if (trimNext) {
                inner = inner.substring(0, inner.length() - 2);
            }
            inner = inner.strip();
            if (!pendingText.isEmpty()) {
                current.add(new Text(pendingText.toString()));
                pendingText.setLength(0);
            }
            if (inner.startsWith("range ")) {
                Range r = parseRange(inner.substring(6).strip(), line);
                current.add(r);
                stack.add(current);
                open.add(r);
                current = r.body();
            } else if (inner.equals("end")) {
                if (open.isEmpty()) {
                    throw new Failed(line, "{{ end }} without a {{ range }}");
                }
                open.remove(open.size() - 1);
                current = stack.remove(stack.size() - 1);
            } else if (!(inner.startsWith("/*") && inner.endsWith("*/"))) {
                current.add(new Action(inner, line));
            }
            i = end + 2;
        }
        if (!pendingText.isEmpty()) {
            current.add(new Text(pendingText.toString()));
        }
        if (!open.isEmpty()) {
            throw new Failed(open.get(open.size() - 1).line(), "{{ range }} is never closed by {{ end }}");
        }
        return current;
    }

    /** {@code $i, $v := parseNumberRange "SPEC"}, {@code $v := ...}, or the pair form with two strings. */
    private static Range parseRange(String spec, int line) {
        int assign = spec.indexOf(":=");
        if (assign < 0) {
            throw new Failed(line, "{{ range " + spec + " }}: expected \"range $i, $v := parseNumberRange \\\"...\\\"\"");
        }
        String[] vars = spec.substring(0, assign).split(",");
        String indexVar = vars.length == 2 ? vars[0].strip() : null;
        String valueVar = vars[vars.length - 1].strip();
        List<String> words = words(spec.substring(assign + 2).strip(), line);
        if (words.isEmpty() || !(words.get(0).equals("parseNumberRange") || words.get(0).equals("parseNumberRangePair"))) {
            throw new Failed(line, "{{ range }} over \"" + spec.substring(assign + 2).strip()
                    + "\": jfrp ranges over parseNumberRange and parseNumberRangePair only");
        }
        int wanted = words.get(0).equals("parseNumberRange") ? 1 : 2;
        if (words.size() != wanted + 1) {
            throw new Failed(line, words.get(0) + " takes " + wanted + " quoted argument" + (wanted == 1 ? "" : "s"));
        }
        return new Range(indexVar, valueVar, words.get(0), words.subList(1, words.size()), new ArrayList<>(), line);
    }

    /** Space-separated words, where a quoted string (double quotes or backticks) is one word, unquoted. */
    private static List<String> words(String s, int line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '`') {
                int close = s.indexOf(c, i + 1);
                if (close < 0) {
                    throw new Failed(line, "unterminated string in \"" + s + "\"");
                }
                out.add(s.substring(i + 1, close));
                i = close + 1;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    /** Where the action that starts at {@code from} ends: the first "}}" outside a quoted string, or -1. */
    private static int actionEnd(String text, int from) {
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"') {
                    i++;
                }
            } else if (c == '"' || c == '`') {
                quote = c;
            } else if (c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                return i;
            }
        }
        return -1;
    }

    private static void trimTrailing(StringBuilder b) {
        int n = b.length();
        while (n > 0 && Character.isWhitespace(b.charAt(n - 1))) {
            n--;
        }
        b.setLength(n);
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    // ---- evaluation

    private static void evaluate(List<Node> nodes, Map<String, Value> vars, Map<String, String> env, String file,
                                 List<String> warnings, StringBuilder out) {
        for (Node n : nodes) {
            if (n instanceof Text t) {
                out.append(t.text());
            } else if (n instanceof Action a) {
                out.append(value(a, vars, env, file, warnings));
            } else if (n instanceof Range r) {
                List<Value> items = items(r);
                for (int i = 0; i < items.size(); i++) {
                    Map<String, Value> scope = new HashMap<>(vars);
                    if (r.indexVar() != null) {
                        scope.put(r.indexVar(), new Value(i, 0, false));
                    }
                    scope.put(r.valueVar(), items.get(i));
                    evaluate(r.body(), scope, env, file, warnings, out);
                }
            }
        }
    }

    private static String value(Action a, Map<String, Value> vars, Map<String, String> env, String file,
                                List<String> warnings) {
        String e = a.expr();
        if (e.startsWith(".Envs.")) {
            String name = e.substring(6);
            String v = env.get(name);
            if (v == null) {
                warnings.add(file + ": environment variable " + name + " is not set; using an empty string");
                return "";
            }
            return v;
        }
        if (e.length() >= 2 && (e.charAt(0) == '"' || e.charAt(0) == '`') && e.charAt(e.length() - 1) == e.charAt(0)) {
            return e.substring(1, e.length() - 1);
        }
        if (e.startsWith("$")) {
            int dot = e.indexOf('.');
            Value v = vars.get(dot < 0 ? e : e.substring(0, dot));
            String field = dot < 0 ? "" : e.substring(dot + 1);
            if (v != null && field.isEmpty()) {
                return v.toString();
            }
            if (v != null && v.pair() && field.equals("First")) {
                return Long.toString(v.first());
            }
            if (v != null && v.pair() && field.equals("Second")) {
                return Long.toString(v.second());
            }
            throw new Failed(a.line(), "{{ " + e + " }}: " + (v == null ? "no such variable" : "no such field"));
        }
        throw new Failed(a.line(), "{{ " + e + " }}: not supported (jfrp renders .Envs.NAME, $variables and "
                + "range over parseNumberRange / parseNumberRangePair)");
    }

    private static List<Value> items(Range r) {
        List<Long> first = numbers(r.args().get(0), r.line());
        List<Value> out = new ArrayList<>();
        if (r.function().equals("parseNumberRange")) {
            first.forEach(n -> out.add(new Value(n, 0, false)));
            return out;
        }
        List<Long> second = numbers(r.args().get(1), r.line());
        if (first.size() != second.size()) {
            throw new Failed(r.line(), "parseNumberRangePair: \"" + r.args().get(0) + "\" has " + first.size()
                    + " numbers and \"" + r.args().get(1) + "\" has " + second.size() + " (expected: as many)");
        }
        for (int i = 0; i < first.size(); i++) {
            out.add(new Value(first.get(i), second.get(i), true));
        }
        return out;
    }

    /** Limits what a range may expand to: a typo such as "1-99999999" must not eat the heap. */
    private static final int MAX_NUMBERS = 65536;

    /** {@code "1000-1002,1005"} as numbers, in order; frp's ParseRangeNumbers. */
    private static List<Long> numbers(String spec, int line) {
        List<Long> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            try {
                String[] ends = p.split("-", 2);
                long a = Long.parseLong(ends[0].strip());
                long b = ends.length == 2 ? Long.parseLong(ends[1].strip()) : a;
                if (a > b || b - a >= MAX_NUMBERS || out.size() + (b - a + 1) > MAX_NUMBERS) {
                    throw new Failed(line, "\"" + p + "\" in \"" + spec + "\" (expected: a number or a range a-b, "
                            + "at most " + MAX_NUMBERS + " numbers)");
                }
                for (long n = a; n <= b; n++) {
                    out.add(n);
                }
            } catch (NumberFormatException e) {
                throw new Failed(line, "\"" + p + "\" in \"" + spec + "\" (expected: a number or a range a-b)");
            }
        }
        return out;
    }
}
