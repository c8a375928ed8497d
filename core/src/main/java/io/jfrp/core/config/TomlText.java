package io.jfrp.core.config;

import java.util.List;
import java.util.Map;

/**
 * A config tree written as frp's v1 TOML, for users leaving INI: settings as dotted keys
 * ({@code auth.token = "..."}), each proxy, visitor and plugin as a {@code [[proxies]]} table, lists of
 * tables inline. Templates stay as written ({@code "{{ .Envs.TOKEN }}"}): frp and jfrp render them at load.
 * Written here rather than with a TOML library: tomlj (which jfrp reads with) has no writer.
 */
final class TomlText {

    private TomlText() {
    }

    static String write(ConfigNode root) {
        StringBuilder out = new StringBuilder();
        Map<String, ConfigNode> map = root.asMap();
        for (Map.Entry<String, ConfigNode> e : map.entrySet()) {
            if (!isTableList(e.getValue())) {
                entries(out, key(e.getKey()), e.getValue());
            }
        }
        for (Map.Entry<String, ConfigNode> e : map.entrySet()) {
            if (isTableList(e.getValue())) {
                for (ConfigNode t : e.getValue().asList()) {
                    out.append('\n').append("[[").append(key(e.getKey())).append("]]\n");
                    t.asMap().forEach((k, v) -> entries(out, key(k), v));
                }
            }
        }
        return out.toString();
    }

    private static boolean isTableList(ConfigNode n) {
        return n.isList() && !n.asList().isEmpty() && n.asList().stream().allMatch(ConfigNode::isMap);
    }

    /** {@code prefix = value}, or for a table one dotted line per entry beneath it. */
    private static void entries(StringBuilder out, String prefix, ConfigNode n) {
        if (n.isMap()) {
            n.asMap().forEach((k, v) -> entries(out, prefix + "." + key(k), v));
        } else {
            out.append(prefix).append(" = ").append(value(n)).append('\n');
        }
    }

    private static String value(ConfigNode n) {
        Object v = n.value();
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof List<?>) {
            StringBuilder b = new StringBuilder("[");
            List<ConfigNode> items = n.asList();
            for (int i = 0; i < items.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(items.get(i).isMap() ? inline(items.get(i)) : value(items.get(i)));
            }
            return b.append(']').toString();
        }
        if (v instanceof Map<?, ?>) {
            return inline(n);
        }
        return String.valueOf(v);
    }

    private static String inline(ConfigNode table) {
        StringBuilder b = new StringBuilder("{ ");
        boolean first = true;
        for (Map.Entry<String, ConfigNode> e : table.asMap().entrySet()) {
            b.append(first ? "" : ", ").append(key(e.getKey())).append(" = ").append(value(e.getValue()));
            first = false;
        }
        return b.append(" }").toString();
    }

    /** A bare key when TOML allows one, else a quoted one ({@code "frp.e2e.test/foo"}). */
    private static String key(String k) {
        return !k.isEmpty() && k.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-')
                ? k : quote(k);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
