package io.jfrp.core.config;

import java.util.List;
import java.util.Map;

/**
 * One value of a parsed configuration file with where it was written. {@code value} is a
 * {@code Map<String, ConfigNode>} (insertion order kept), a {@code List<ConfigNode>}, a String, a Long,
 * a Double, a Boolean, or null. For a table entry the position is the key's.
 */
record ConfigNode(Object value, int line, int column) {

    @SuppressWarnings("unchecked")
    Map<String, ConfigNode> asMap() {
        return (Map<String, ConfigNode>) value;
    }

    @SuppressWarnings("unchecked")
    List<ConfigNode> asList() {
        return (List<ConfigNode>) value;
    }

    boolean isMap() {
        return value instanceof Map;
    }

    boolean isList() {
        return value instanceof List;
    }

    /** The value as the user would recognise it in their file, for error messages. */
    String display() {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof Map) {
            return "a table";
        }
        if (value instanceof List<?> l) {
            return "a list of " + l.size();
        }
        return String.valueOf(value);
    }
}
