package io.jfrp.server;

import io.jfrp.core.config.ServerConfig;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.LoginProof;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.Wire;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login's stages, deadline, replay window and version check, on an {@link EmbeddedChannel} with its
 * own clock: what a refused login tells the client, and that nothing else gets through.
 */
class LoginHandlerTest {

    private static final String TOKEN = "login-test-token";

    private static EmbeddedChannel login() {
        ServerConfig config = ServerConfig.defaults().withAuthToken(TOKEN).withDataDir(Path.of("unused"));
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new LoginHandler(new ServerRuntime(config, null, null)));
        return ch;
    }

    private static Message.LoginFail refusal(String proofToken, long timestampMillis) {
        EmbeddedChannel ch = login();
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

    @Test
    void aLoginNotCompleteWithinTheDeadlineIsClosed() {
        EmbeddedChannel ch = login();
        ch.pipeline().fireChannelActive();
        ch.writeInbound(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR));
        ch.advanceTimeBy(LoginHandler.LOGIN_DEADLINE_MILLIS - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("just before the deadline").isTrue();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("at the deadline").isFalse();
        ch.finishAndReleaseAll();
    }

    /** @return the features the server answers a HELLO of {@code clientFeatures} with */
    private static int challengeFeatures(int minor, int clientFeatures) {
        EmbeddedChannel ch = login();
        ch.writeInbound(new Message.Preface(Wire.VERSION_MAJOR, minor));
        ch.writeInbound(new Message.Hello("test", clientFeatures));
        assertThat((Object) ch.readOutbound()).isEqualTo(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR));
        Message.Challenge c = ch.readOutbound();
        ch.finishAndReleaseAll();
        return c.features();
    }

    @Test
    void theFeaturesInUseAreWhatBothSidesSpeak() {
        assertThat(challengeFeatures(0, 0)).as("a 1.0 client without early data").isZero();
        assertThat(challengeFeatures(0, Wire.FEATURE_EARLY_DATA)).as("a 1.0 client").isEqualTo(Wire.FEATURE_EARLY_DATA);
        assertThat(challengeFeatures(1, Wire.FEATURES)).isEqualTo(Wire.FEATURES);
        assertThat(challengeFeatures(2, Wire.FEATURES | 1 << 20)).as("a newer client's bits this server lacks")
                .isEqualTo(Wire.FEATURES);
    }

    @Test
    void anotherMajorVersionIsRefusedNamingBoth() {
        EmbeddedChannel ch = login();
        ch.writeInbound(new Message.Preface(Wire.VERSION_MAJOR + 1, 0));
        assertThat((Object) ch.readOutbound()).isInstanceOf(Message.Preface.class);
        Message.GoAway g = ch.readOutbound();
        assertThat(g.code()).isEqualTo(ErrorCode.VERSION_MISMATCH);
        assertThat(g.reason()).contains(Wire.VERSION_MAJOR + ".x").contains((Wire.VERSION_MAJOR + 1) + ".0")
                .contains("upgrade jfrps (the older side) to protocol " + (Wire.VERSION_MAJOR + 1) + ".x");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void aLoginBeforeHelloIsAProtocolError() {
        EmbeddedChannel ch = login();
        ch.writeInbound(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR));
        ch.writeInbound(new Message.Login("run-1", "", System.currentTimeMillis(), new byte[32], "h", 30_000));
        Message.GoAway g = ch.readOutbound();
        assertThat(g.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        assertThat(g.reason()).contains("expected Hello");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void aTimestampJustInsideTheReplayWindowIsNotRefusedForTheClock() {
        EmbeddedChannel ch = login();
        ch.writeInbound(new Message.Preface(Wire.VERSION_MAJOR, Wire.VERSION_MINOR));
        ch.writeInbound(new Message.Hello("test", 0));
        ch.readOutbound();
        Message.Challenge c = ch.readOutbound();
        long ts = System.currentTimeMillis() - LoginHandler.REPLAY_WINDOW_MILLIS + 5_000;
        // A wrong proof on purpose: the refusal must be about the token, so the clock passed.
        ch.writeInbound(new Message.Login("run-1", "", ts, LoginProof.compute("wrong", c.nonce(), ts, "run-1"), "h", 30_000));
        Message.LoginFail f = ch.readOutbound();
        assertThat(f.code()).isEqualTo(ErrorCode.AUTH_FAILED);
        ch.finishAndReleaseAll();
    }
}
