package io.jfrp.core.config;

/**
 * A config document that is not a file: one key of a config centre. {@code name} is what problems in it
 * are reported against (the key), and its ending chooses the format as a file's does.
 */
public record ConfigDocument(String name, String text) {
}
