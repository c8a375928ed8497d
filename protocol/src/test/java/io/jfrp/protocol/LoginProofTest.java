package io.jfrp.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoginProofTest {

    private final byte[] nonce = new byte[32];

    @Test
    void theRightTokenVerifies() {
        byte[] proof = LoginProof.compute("secret", nonce, 1000, "run");
        assertThat(LoginProof.verify("secret", nonce, 1000, "run", proof)).isTrue();
    }

    @Test
    void anyChangedInputFails() {
        byte[] proof = LoginProof.compute("secret", nonce, 1000, "run");
        byte[] otherNonce = nonce.clone();
        otherNonce[5] = 1;
        assertThat(LoginProof.verify("Secret", nonce, 1000, "run", proof)).isFalse();
        assertThat(LoginProof.verify("secret", otherNonce, 1000, "run", proof)).isFalse();
        assertThat(LoginProof.verify("secret", nonce, 1001, "run", proof)).isFalse();
        assertThat(LoginProof.verify("secret", nonce, 1000, "run2", proof)).isFalse();
        assertThat(LoginProof.verify("secret", nonce, 1000, "run", new byte[3])).isFalse();
    }

    @Test
    void anEmptyTokenWorksAsInFrp() {
        byte[] proof = LoginProof.compute("", nonce, 1, "r");
        assertThat(proof).hasSize(32);
        assertThat(LoginProof.verify("", nonce, 1, "r", proof)).isTrue();
        assertThat(LoginProof.verify("x", nonce, 1, "r", proof)).isFalse();
    }
}
