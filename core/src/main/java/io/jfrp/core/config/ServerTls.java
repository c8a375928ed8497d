package io.jfrp.core.config;

import java.nio.file.Path;

/** The server's TLS: its certificate (made on first start when null) and whether plain channels are refused. */
public record ServerTls(boolean force, Path certFile, Path keyFile, Path trustedCaFile) {
}
