package io.jfrp.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Settings from command-line flags as the {@link ConfigNode} tree a file would give (without positions), and the dotted-key insertion both it and {@link LegacyIni} use. */
final class FlagSettings {

    private FlagSettings() {
    }

    /** {@code {"transport.tls.force": true}} becomes {@code transport = {tls = {force = true}}}; lists and maps nest. */
    static ConfigNode tree(Map<String, Object> settings) {
        Map<String, ConfigNode> root = new LinkedHashMap<>();
        settings.forEach((key, value) -> put(root, key, node(value)));
        return new ConfigNode(root, 0, 0);
    }

    @SuppressWarnings("unchecked")
    private static ConfigNode node(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, ConfigNode> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> put(out, k, node(x)));
            return new ConfigNode(out, 0, 0);
        }
        if (v instanceof List<?> l) {
            List<ConfigNode> out = new ArrayList<>();
            l.forEach(x -> out.add(node(x)));
            return new ConfigNode(out, 0, 0);
        }
        if (v instanceof Integer i) {
            return new ConfigNode(i.longValue(), 0, 0);
        }
        return new ConfigNode(v, 0, 0);
    }

    /** Puts {@code node} at a dotted path, making the tables on the way (the positions are {@code node}'s). */
    @SuppressWarnings("unchecked")
    static void put(Map<String, ConfigNode> into, String dotted, ConfigNode node) {
        String[] parts = dotted.split("\\.");
        Map<String, ConfigNode> at = into;
        for (int i = 0; i < parts.length - 1; i++) {
            ConfigNode next = at.get(parts[i]);
            if (next == null || !next.isMap()) {
                next = new ConfigNode(new LinkedHashMap<String, ConfigNode>(), node.line(), node.column());
                at.put(parts[i], next);
            }
            at = (Map<String, ConfigNode>) next.value();
        }
        at.put(parts[parts.length - 1], node);
    }
}
