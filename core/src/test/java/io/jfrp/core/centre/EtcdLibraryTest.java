package io.jfrp.core.centre;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What following a config centre says when its client is missing or from another build: a line, not a stack. */
class EtcdLibraryTest {

    @Test
    void withoutTheEtcdClientTheErrorNamesItsJar() {
        assertThatThrownBy(EtcdLibrary::connector).isInstanceOf(IOException.class)
                .hasMessageContaining("configSource.etcd needs jfrp's etcd client, jfrp-etcd.jar, beside jfrp.jar");
    }

    @Test
    void aJarWithoutTheClientIsNamed(@TempDir Path dir) throws IOException {
        Path jar = jar(dir, null);
        assertThatThrownBy(() -> EtcdLibrary.fromJar(jar)).isInstanceOf(IOException.class)
                .hasMessage(jar + " holds no etcd client (io.jfrp.core.centre.EtcdKeys$Connector)");
    }

    @Test
    void aClientOfAnotherBuildIsSaidToBeOne(@TempDir Path dir) throws IOException {
        // What a jar built against another EtcdKeys looks like to this one: its provider is not a Connector.
        Path jar = jar(dir, EtcdLibraryTest.class.getName());
        assertThatThrownBy(() -> EtcdLibrary.fromJar(jar)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("the etcd client in " + jar + " does not match this jfrp.jar (")
                .hasMessageEndingWith("); copy both from the same build");
    }

    private static Path jar(Path dir, String provider) throws IOException {
        Path jar = dir.resolve(EtcdLibrary.JAR);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("README"));
            j.write("nothing\n".getBytes(StandardCharsets.UTF_8));
            if (provider != null) {
                j.putNextEntry(new JarEntry("META-INF/services/" + EtcdKeys.Connector.class.getName()));
                j.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }
}
