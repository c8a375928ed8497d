package io.jfrp.server;

import io.jfrp.core.config.ServerConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Proxy names belong to one session at a time, and a session's end frees its own names and no other's. */
class SessionRegistryTest {

    private final ServerRuntime rt = new ServerRuntime(ServerConfig.defaults().withDataDir(Path.of("unused")), null, null);
    private final EmbeddedChannel loop = new EmbeddedChannel();

    private ClientSession session(String runId) {
        return rt.registry.sessionFor(rt, runId, "", null, loop.eventLoop(), s -> true).session();
    }

    @Test
    void anEndedSessionFreesItsOwnNamesOnly() {
        ClientSession a = session("run-a");
        ClientSession b = session("run-b");
        assertThat(rt.registry.claimName("web", a)).isNull();
        assertThat(rt.registry.claimName("ssh", a)).isNull();
        assertThat(rt.registry.claimName("db", b)).isNull();
        assertThat(rt.registry.claimName("web", b)).as("held by a").isSameAs(a);
        rt.registry.releaseName("ssh", a);
        assertThat(rt.registry.nameOwner("ssh")).isNull();
        assertThat(rt.registry.claimName("ssh", a)).isNull();

        rt.registry.unregister(a);

        assertThat(rt.registry.nameOwner("web")).isNull();
        assertThat(rt.registry.nameOwner("ssh")).isNull();
        assertThat(rt.registry.nameOwner("db")).isSameAs(b);
        assertThat(rt.registry.sessions()).containsExactly(b);
        assertThat(rt.registry.claimName("web", b)).isNull();
        // A name released by b before its end is not taken back from whoever holds it next.
        rt.registry.releaseName("web", b);
        assertThat(rt.registry.claimName("web", session("run-c"))).isNull();
        rt.registry.unregister(b);
        assertThat(rt.registry.nameOwner("web")).isNotNull();
        assertThat(rt.registry.nameOwner("db")).isNull();
    }
}
