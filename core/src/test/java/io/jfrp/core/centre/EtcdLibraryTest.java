package io.jfrp.core.centre;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Core alone has no etcd client: following a config centre then says what is missing, not a class name. */
class EtcdLibraryTest {

    @Test
    void withoutTheEtcdClientTheErrorNamesItsJar() {
        assertThatThrownBy(EtcdLibrary::connector).isInstanceOf(IOException.class)
                .hasMessageContaining("configSource.etcd needs jfrp's etcd client, jfrp-etcd.jar, beside jfrp.jar");
    }
}
