package io.jfrp.core.centre;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds the etcd client: on the class path when it is there (tests, an application that embeds jfrp), else
 * in {@value #JAR} beside the jar this class came from, in a class loader of its own made the first time a
 * config centre is used. jetcd is kept out of jfrp.jar because the JDK holds a jar's whole central
 * directory on the heap: its 7,500 entries (gRPC, Vert.x, Guava, protobuf) cost every jfrps and jfrpc about
 * 0.9 MB of RSS whether it used etcd or not (docs/performance.md, "Memory beside frp").
 */
final class EtcdLibrary {

    static final String JAR = "jfrp-etcd.jar";

    private static EtcdKeys.Connector connector;

    private EtcdLibrary() {
    }

    static synchronized EtcdKeys.Connector connector() throws IOException {
        if (connector == null) {
            connector = find();
        }
        return connector;
    }

    private static EtcdKeys.Connector find() throws IOException {
        ClassLoader own = EtcdLibrary.class.getClassLoader();
        Optional<EtcdKeys.Connector> onClassPath = ServiceLoader.load(EtcdKeys.Connector.class, own).findFirst();
        if (onClassPath.isPresent()) {
            return onClassPath.get();
        }
        Path jar = besideOwnJar();
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IOException("configSource.etcd needs jfrp's etcd client, " + JAR + ", beside jfrp.jar"
                    + (jar == null ? " (jfrp is not running from a jar)" : " (not found: " + jar + ")"));
        }
        // Never closed: the connector's classes serve every config centre of the process for its life.
        URLClassLoader loader = new URLClassLoader("jfrp-etcd", new java.net.URL[]{jar.toUri().toURL()}, own);
        return ServiceLoader.load(EtcdKeys.Connector.class, loader).findFirst()
                .orElseThrow(() -> new IOException(jar + " holds no etcd client (" + EtcdKeys.Connector.class.getName() + ")"));
    }

    private static Path besideOwnJar() {
        CodeSource source = EtcdLibrary.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            Path self = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(self) ? self.resolveSibling(JAR) : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
