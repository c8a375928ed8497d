package io.jfrp.server;

import io.jfrp.core.config.ServerConfig;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.LoginProof;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What a refused login tells the client: the token and the clock are different things to fix. */
class LoginHandlerTest {

    private static final String TOKEN = "login-test-token";

    private static Message.LoginFail refusal(String proofToken, long timestampMillis) {
        ServerConfig config = ServerConfig.defaults().withAuthToken(TOKEN).withDataDir(Path.of("unused"));
        EmbeddedChannel ch = new EmbeddedChannel(new LoginHandler(new ServerRuntime(config, null, null)));
        ch.writeInbound(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR));
        ch.writeInbound(new Message.Hello("test", 0));
        assertThat((Object) ch.readOutbound()).isInstanceOf(Message.Preface.class);
        Message.Challenge challenge = ch.readOutbound();
        byte[] proof = LoginProof.compute(proofToken, challenge.nonce(), timestampMillis, "run-1");
        ch.writeInbound(new Message.Login("run-1", "", timestampMillis, proof, "host", 30_000));
        Message.LoginFail fail = ch.readOutbound();
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
        return fail;
    }

    @Test
    void aWrongTokenIsRefusedAsAuthentication() {
        Message.LoginFail f = refusal("another-token", System.currentTimeMillis());
        assertThat(f.code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(f.reason()).contains("auth.token");
    }

    @Test
    void aClockTenMinutesOffIsRefusedAsClockSkewNotAsAWrongToken() {
        Message.LoginFail f = refusal(TOKEN, System.currentTimeMillis() - 10 * 60_000);
        assertThat(f.code()).isEqualTo(ErrorCode.CLOCK_SKEW);
        assertThat(f.reason()).contains("600s away from the server's clock").doesNotContain("auth.token");
    }
}
