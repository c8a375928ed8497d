package io.jfrp.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** frp's store form checked as a [[proxies]] entry is, refused with frp's statuses, and kept in its file. */
class ProxyStoreTest {

    @TempDir
    Path dir;

    private static final String TCP = "{\"name\":\"a\",\"type\":\"tcp\",\"tcp\":{\"localPort\":22,\"remotePort\":6000}}";

    @Test
    void aProxyIsCheckedKeptAndReadBack() throws Exception {
        Path file = dir.resolve("store.json");
        ProxyStore store = ProxyStore.open(file);
        ProxyConfig p = store.create(TCP, name -> false);
        assertThat(p).isEqualTo(new TcpProxyConfig("a", "127.0.0.1", 22, 6000));
        assertThat(ProxyStore.open(file).proxies()).containsExactly(p);
        assertThat(Files.readString(file)).contains("\"tcp\":{\"localPort\":22,\"remotePort\":6000}");
    }

    @Test
    void whatFrpRefusesIsRefusedWithItsStatus() throws Exception {
        ProxyStore store = ProxyStore.open(dir.resolve("store.json"));
        assertThatThrownBy(() -> store.create("{\"name\":\"b\",\"type\":\"tcp\",\"udp\":{\"localPort\":1234}}", n -> false))
                .isInstanceOfSatisfying(ProxyStore.Refused.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("a block for udp in a proxy of type \"tcp\"");
                });
        store.create(TCP, n -> false);
        assertThatThrownBy(() -> store.update("a", TCP.replace("\"a\"", "\"b\"")))
                .isInstanceOfSatisfying(ProxyStore.Refused.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> store.create(TCP, n -> false))
                .isInstanceOfSatisfying(ProxyStore.Refused.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThatThrownBy(() -> store.create(TCP.replace("remotePort", "remotePorts"), n -> false))
                .isInstanceOfSatisfying(ProxyStore.Refused.class, e -> assertThat(e.getMessage()).contains("remotePorts"));
        assertThatThrownBy(() -> store.update("nobody", TCP))
                .isInstanceOfSatisfying(ProxyStore.Refused.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(store.delete("nobody")).isFalse();
    }
}
