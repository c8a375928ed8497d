package io.jfrp.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed values out of one table of a config file. Each getter declares its key as known, so
 * the binding code is the schema: after binding, {@link #finish()} reports every key nobody asked for.
 * Problems are collected, never thrown, so one run reports all of them.
 */
final class ConfigSection {

    private final String file;
    private final String prefix;
    private final Map<String, ConfigNode> flat = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();
    private final List<ConfigProblem> problems;
    private final List<String> warnings;
    /** The environment templates are rendered from, for files this one includes. */
    private Map<String, String> env = Map.of();
    /** frp's unsafe features the operator allowed on the command line ({@code --allow-unsafe}). */
    private java.util.Set<String> allowUnsafe = java.util.Set.of();

    ConfigSection(String file, String prefix, ConfigNode table, List<ConfigProblem> problems, List<String> warnings) {
        this.file = file;
        this.prefix = prefix;
        this.problems = problems;
        this.warnings = warnings;
        flatten("", table);
    }

    private void flatten(String path, ConfigNode node) {
        for (Map.Entry<String, ConfigNode> e : node.asMap().entrySet()) {
            String key = path + e.getKey();
            if (e.getValue().isMap() && !e.getValue().asMap().isEmpty()) {
                flatten(key + ".", e.getValue());
            } else {
                flat.put(key, e.getValue());
            }
        }
    }

    String file() {
        return file;
    }

    /** This table as a problem names it: {@code proxies[2]}, and its file when that is not the main one. */
    String where() {
        String name = prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return name + " (" + java.nio.file.Path.of(file).getFileName() + ")";
    }

    Map<String, String> env() {
        return env;
    }

    java.util.Set<String> allowUnsafe() {
        return allowUnsafe;
    }

    void allowUnsafe(java.util.Set<String> features) {
        this.allowUnsafe = features;
    }

    /** A list of strings; empty when absent. */
    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        if (!has(key)) {
            return out;
        }
        ConfigNode n = flat.get(key);
        if (!n.isList()) {
            expected(key, n, "a list of strings");
            return out;
        }
        for (ConfigNode item : n.asList()) {
            if (item.value() instanceof String v) {
                out.add(v);
            } else {
                expected(key, item, "a string");
            }
        }
        return out;
    }

    void env(Map<String, String> env) {
        this.env = env;
    }

    /** Documents from a config centre that join the file's proxies (configSource.etcd); empty otherwise. */
    private List<ConfigDocument> documents = List.of();

    List<ConfigDocument> documents() {
        return documents;
    }

    void documents(List<ConfigDocument> docs) {
        this.documents = List.copyOf(docs);
    }

    List<ConfigProblem> problems() {
        return problems;
    }

    List<String> warnings() {
        return warnings;
    }

    /** Whether the file sets {@code key} (or a table under it), without counting it as read. */
    boolean sets(String key) {
        for (String k : flat.keySet()) {
            if (k.equals(key) || k.startsWith(key + ".") || k.startsWith(key + "[")) {
                return true;
            }
        }
        return false;
    }

    boolean has(String key) {
        known.add(key);
        spelled(key);
        return flat.containsKey(key) && flat.get(key).value() != null;
    }

    ConfigNode node(String key) {
        known.add(key);
        spelled(key);
        return flat.get(key);
    }

    /**
     * frp reads its keys in any case (Go's JSON decoding matches names that way), and its own tests write
     * {@code subdomainHost} for {@code subDomainHost}: a key that differs from a known one only in case is
     * read as that one, with a warning that names the spelling jfrp documents.
     */
    private void spelled(String key) {
        if (flat.containsKey(key)) {
            return;
        }
        for (String k : flat.keySet()) {
            if (k.equalsIgnoreCase(key)) {
                ConfigNode n = flat.remove(k);
                flat.put(key, n);
                warnings.add(file + ":" + n.line() + ": " + prefix + k + " is read as " + prefix + key
                        + " (keys match in any case, as in frp; write " + key + ")");
                return;
            }
        }
    }

    void problem(String key, ConfigNode at, String message) {
        problems.add(new ConfigProblem(file, at == null ? 0 : at.line(), at == null ? 0 : at.column(),
                prefix + key, message));
    }

    private void expected(String key, ConfigNode at, String what) {
        problem(key, at, at.display() + " (expected: " + what + ")");
    }

    String string(String key, String def) {
        if (!has(key)) {
            return def;
        }
        ConfigNode n = flat.get(key);
        if (n.value() instanceof String s) {
            return s;
        }
        expected(key, n, "a string");
        return def;
    }

    String requiredString(String key) {
        if (!has(key)) {
            problems.add(new ConfigProblem(file, 0, 0, prefix + key, "missing (expected: a non-empty string)"));
            return "";
        }
        String s = string(key, "");
        if (s.isEmpty()) {
            expected(key, flat.get(key), "a non-empty string");
        }
        return s;
    }

    String oneOf(String key, String def, List<String> allowed) {
        String s = string(key, def);
        if (!allowed.contains(s)) {
            expected(key, flat.get(key), "one of " + String.join(", ", allowed));
            return def;
        }
        return s;
    }

    boolean bool(String key, boolean def) {
        if (!has(key)) {
            return def;
        }
        ConfigNode n = flat.get(key);
        if (n.value() instanceof Boolean b) {
            return b;
        }
        expected(key, n, "true or false");
        return def;
    }

    long integer(String key, long def, long min, long max) {
        if (!has(key)) {
            return def;
        }
        ConfigNode n = flat.get(key);
        if (n.value() instanceof Long l) {
            if (l >= min && l <= max) {
                return l;
            }
            expected(key, n, "an integer from " + min + " to " + max);
            return def;
        }
        expected(key, n, "an integer from " + min + " to " + max);
        return def;
    }

    int port(String key, int def, boolean zeroAllowed) {
        long p = integer(key, def, zeroAllowed ? 0 : 1, 65535);
        return (int) p;
    }

    int requiredPort(String key) {
        if (!has(key)) {
            problems.add(new ConfigProblem(file, 0, 0, prefix + key, "missing (expected: a port from 1 to 65535)"));
            return 0;
        }
        return port(key, 0, false);
    }

    double number(String key, double def, double min, double max) {
        if (!has(key)) {
            return def;
        }
        ConfigNode n = flat.get(key);
        double v;
        if (n.value() instanceof Long l) {
            v = l;
        } else if (n.value() instanceof Double d) {
            v = d;
        } else {
            expected(key, n, "a number from " + min + " to " + max);
            return def;
        }
        if (v < min || v > max) {
            expected(key, n, "a number from " + min + " to " + max);
            return def;
        }
        return v;
    }

    /** A time; frp's -1 ("off") is answered by a warning where {@code offMeansDefault}. */
    Duration duration(String key, Duration def, Duration min, boolean offMeansDefault) {
        if (!has(key)) {
            return def;
        }
        ConfigNode n = flat.get(key);
        Duration d = Durations.parse(n.value());
        if (d == null) {
            expected(key, n, Durations.EXPECTED);
            return def;
        }
        if (d.isNegative() && offMeansDefault) {
            warnings.add(file + ":" + n.line() + ": " + prefix + key + " = " + n.display()
                    + ": jfrp keeps heartbeats on; using " + Durations.format(def));
            return def;
        }
        if (d.compareTo(min) < 0) {
            expected(key, n, "at least " + Durations.format(min));
            return def;
        }
        return d;
    }

    /** A file that must exist; relative paths are taken from the working directory, as frp does. */
    java.nio.file.Path existingFile(String key) {
        String v = string(key, "");
        if (v.isEmpty()) {
            return null;
        }
        java.nio.file.Path p = java.nio.file.Path.of(v);
        if (!java.nio.file.Files.isReadable(p)) {
            expected(key, flat.get(key), "a readable file; " + p.toAbsolutePath() + " is not");
            return null;
        }
        return p;
    }

    /** A list of tables (TOML's [[name]]); each becomes a section of its own. */
    List<ConfigSection> tables(String key) {
        List<ConfigSection> out = new ArrayList<>();
        if (!has(key)) {
            return out;
        }
        ConfigNode n = flat.get(key);
        if (!n.isList()) {
            expected(key, n, "a list of tables, as [[" + key + "]]");
            return out;
        }
        List<ConfigNode> items = n.asList();
        for (int i = 0; i < items.size(); i++) {
            ConfigNode item = items.get(i);
            if (!item.isMap()) {
                expected(key + "[" + i + "]", item, "a table");
                continue;
            }
            out.add(new ConfigSection(file, prefix + key + "[" + i + "].", item, problems, warnings));
        }
        return out;
    }

    /** A key frp has and jfrp recognises but does not support yet: a clear error, never ignored. */
    void unsupported(String key, String why) {
        if (has(key)) {
            problem(key, flat.get(key), "not supported by jfrp yet" + (why.isEmpty() ? "" : ": " + why));
        }
    }

    /** Every key under {@code table} (frp's {@code auth.oidc.*}, say): one error each, as {@link #unsupported}. */
    void unsupportedUnder(String table, String why) {
        for (String key : new java.util.ArrayList<>(flat.keySet())) {
            if (key.startsWith(table + ".")) {
                unsupported(key, why);
            }
        }
    }

    /**
     * The string values of a table of free-form keys ({@code annotations}, {@code metadatas}), by key; a
     * value of another type is a problem. A key may hold dots of its own ({@code "frp.io/owner"}).
     */
    Map<String, String> stringsUnder(String table) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : new java.util.ArrayList<>(flat.keySet())) {
            if (key.startsWith(table + ".")) {
                ConfigNode n = node(key);
                if (n.value() instanceof String v) {
                    out.put(key.substring(table.length() + 1), v);
                } else if (n.value() != null) {
                    expected(key, n, "a string");
                }
            }
        }
        return out;
    }

    /** A table whose keys have no effect in jfrp by design: accepted, with one warning that says so. */
    void noEffectUnder(String table, String why) {
        for (String key : new java.util.ArrayList<>(flat.keySet())) {
            if (key.equals(table) || key.startsWith(table + ".")) {
                ConfigNode n = node(key);
                warnings.add(file + ":" + n.line() + ": " + prefix + table + " has no effect in jfrp: " + why);
                flat.keySet().stream().filter(k -> k.startsWith(table + ".")).toList().forEach(this::node);
                return;
            }
        }
    }

    /** A warning about {@code key} (its line when the file sets it): accepted, but the operator should know. */
    void warn(String key, String message) {
        ConfigNode n = flat.get(key);
        warnings.add(file + (n == null ? "" : ":" + n.line()) + ": " + prefix + key + ": " + message);
    }

    /** A key that has no effect in jfrp by design: accepted, with a warning that says so. */
    void noEffect(String key, String why) {
        if (has(key)) {
            ConfigNode n = flat.get(key);
            warnings.add(file + ":" + n.line() + ": " + prefix + key + " has no effect in jfrp: " + why);
        }
    }

    /** Reports every key that no getter asked for, with a "did you mean" where one is close. */
    void finish() {
        for (Map.Entry<String, ConfigNode> e : flat.entrySet()) {
            String key = e.getKey();
            if (known.contains(key)) {
                continue;
            }
            if (key.startsWith("common.") || key.equals("common")) {
                String inner = key.startsWith("common.") ? key.substring(7) : key;
                String hint = KeySuggestions.suggest(inner, known);
                problem(key, e.getValue(), "unknown key: [common] is frp's legacy INI section; put its keys at the top level"
                        + (hint == null ? "" : " (" + hint + ")"));
                continue;
            }
            String hint = KeySuggestions.suggest(key, known);
            problem(key, e.getValue(), "unknown key" + (hint == null ? "" : " (" + hint + ")"));
        }
    }
}
