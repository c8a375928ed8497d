package io.jfrp.core.config;

import java.util.Map;

/**
 * A proxy's free-form labels, as frp has them: {@code annotations} (for people and tools) and
 * {@code metadatas} (which frp hands to server plugins). jfrp keeps both and shows them in the client's
 * status; they change nothing about how the proxy runs.
 */
public record ProxyLabels(Map<String, String> annotations, Map<String, String> metadatas) {

    public static final ProxyLabels NONE = new ProxyLabels(Map.of(), Map.of());

    public ProxyLabels {
        annotations = Map.copyOf(annotations);
        metadatas = Map.copyOf(metadatas);
    }
}
