package io.jfrp.server;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jfrp.core.config.ServerConfig;
import io.jfrp.core.config.VhostSettings;
import io.jfrp.core.tls.SelfSignedCertificate;
import io.jfrp.core.tls.TlsContexts;
import io.jfrp.testing.LeakCheck;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Anyone's bytes on the bind port, which tells a client's TLS or plain login, a WebSocket upgrade, an
 * HTTP user and an HTTPS user apart by them (all four share the port here): whatever arrives, in
 * whatever pieces, the pipeline answers, refuses or closes; no exception reaches its end, and no buffer
 * is kept.
 */
@ExtendWith(LeakCheck.class)
class BindPortFuzzTest {

    private static ServerRuntime rt;

    private static synchronized ServerRuntime runtime() {
        if (rt == null) {
            try {
                Path dir = Files.createTempDirectory("jfrp-bindport-fuzz-");
                SelfSignedCertificate.ensure(dir);
                ServerConfig c = ServerConfig.defaults().withBind("127.0.0.1", 7000).withAuthToken("fuzz-token")
                        .withDataDir(dir).withVhost(VhostSettings.NONE.withHttp(7000, Duration.ofSeconds(5)).withHttps(7000));
                rt = new ServerRuntime(c, null, TlsContexts.server(dir.resolve(SelfSignedCertificate.CERT_FILE),
                        dir.resolve(SelfSignedCertificate.KEY_FILE)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rt;
    }

    @FuzzTest(maxDuration = "10s")
    void anyonesBytesOnTheBindPort(FuzzedDataProvider in) {
        ServerRuntime r = runtime();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("shared", new SharedBindPort(r));
        ControlChannelInitializer.install(ch.pipeline(), r);
        try {
            for (int i = 0; i < 16 && in.remainingBytes() > 0 && ch.isOpen(); i++) {
                ch.writeInbound(Unpooled.wrappedBuffer(in.consumeBytes(in.consumeInt(1, 4096))));
                ch.runPendingTasks();
                Object m;
                while ((m = ch.readOutbound()) != null) {
                    ReferenceCountUtil.release(m);
                }
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
