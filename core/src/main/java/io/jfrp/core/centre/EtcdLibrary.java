package io.jfrp.core.centre;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the etcd client: on the class path when it is there (tests, an application that embeds jfrp), else
 * in {@value #JAR} beside the jar this class came from, in a class loader of its own made the first time a
 * config centre is used. jetcd is kept out of jfrp.jar because the JDK holds a jar's whole central
 * directory on the heap: its 7,500 entries (gRPC, Vert.x, Guava, protobuf) cost every jfrps and jfrpc about
 * 0.8 MB of RSS whether it used etcd or not (docs/performance.md, "Memory beside frp").
 */
final class EtcdLibrary {

    static final String JAR = "jfrp-etcd.jar";

    private static EtcdKeys.Connector connector;
    /** Where the connector came from, for a mismatch's message. */
    private static String source = "the class path";

    private EtcdLibrary() {
    }

    static synchronized EtcdKeys.Connector connector() throws IOException {
        if (connector == null) {
            Optional<EtcdKeys.Connector> onClassPath = ServiceLoader.load(EtcdKeys.Connector.class,
                    EtcdLibrary.class.getClassLoader()).findFirst();
            if (onClassPath.isPresent()) {
                connector = onClassPath.get();
            } else {
                Path jar = besideOwnJar();
                if (jar == null || !Files.isRegularFile(jar)) {
                    throw new IOException("configSource.etcd needs jfrp's etcd client, " + JAR + ", beside jfrp.jar"
                            + (jar == null ? " (jfrp is not running from a jar)" : " (not found: " + jar + ")"));
                }
                connector = fromJar(jar);
                source = jar.toString();
            }
        }
        return connector;
    }

    /** The connector in {@code jar}, in a class loader of its own whose parent is jfrp's. */
    static EtcdKeys.Connector fromJar(Path jar) throws IOException {
        // Never closed: the connector's classes serve every config centre of the process for its life.
        URLClassLoader loader = new URLClassLoader("jfrp-etcd", new java.net.URL[]{jar.toUri().toURL()},
                EtcdLibrary.class.getClassLoader());
        try {
            return ServiceLoader.load(EtcdKeys.Connector.class, loader).findFirst()
                    .orElseThrow(() -> new IOException(jar + " holds no etcd client (" + EtcdKeys.Connector.class.getName() + ")"));
        } catch (ServiceConfigurationError | LinkageError e) {
            throw mismatched(jar.toString(), e);
        }
    }

    /** The connector failed as a jfrp-etcd.jar of another build would: said as such, not as a stack trace. */
    static synchronized IOException mismatched(Throwable e) {
        return mismatched(source, e);
    }

    private static IOException mismatched(String where, Throwable e) {
        return new IOException("the etcd client in " + where + " does not match this jfrp.jar (" + e
                + "); copy both from the same build", e);
    }

    private static Path besideOwnJar() {
        CodeSource code = EtcdLibrary.class.getProtectionDomain().getCodeSource();
        if (code == null || code.getLocation() == null) {
            return null;
        }
        try {
            Path self = Path.of(code.getLocation().toURI());
            return Files.isRegularFile(self) ? self.resolveSibling(JAR) : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
