package io.jfrp.core.config;

/** One thing wrong with a config file, located and explained: {@code file:line:col: key: message}. */
public record ConfigProblem(String file, int line, int column, String key, String message) {

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line);
            if (column > 0) {
                b.append(':').append(column);
            }
        }
        b.append(": ");
        if (key != null && !key.isEmpty()) {
            b.append(key).append(": ");
        }
        return b.append(message).toString();
    }
}
