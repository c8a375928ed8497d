package io.jfrp.protocol;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Proves knowledge of the shared token without sending it: HMAC-SHA256 keyed by the token over the
 * server's nonce, the client's timestamp and its runId. The nonce makes a captured login useless on
 * another connection; the timestamp window bounds how stale a proof may be.
 */
public final class LoginProof {

    private static final byte[] LABEL = "jfrp-login-v1".getBytes(StandardCharsets.US_ASCII);

    private LoginProof() {
    }

    public static byte[] compute(String token, byte[] nonce, long timestampMillis, String runId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // A prefix keeps the key non-empty: the JDK refuses an empty HMAC key, and frp allows an empty token.
            mac.init(new SecretKeySpec(("jfrp:" + token).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(LABEL);
            mac.update(nonce);
            mac.update(ByteBuffer.allocate(8).putLong(0, timestampMillis));
            mac.update(runId.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static final byte[] RESUME_LABEL = "jfrp-resume-v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * Proves that a login resuming session {@code runId} comes from the client that opened it: HMAC-SHA256
     * keyed by the session's secret (handed out in LOGIN_OK) over this connection's nonce and the runId.
     * A runId is an identifier others may learn; the secret is not.
     */
    public static byte[] resume(byte[] sessionSecret, byte[] nonce, String runId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionSecret, "HmacSHA256"));
            mac.update(RESUME_LABEL);
            mac.update(nonce);
            mac.update(runId.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static boolean verifyResume(byte[] sessionSecret, byte[] nonce, String runId, byte[] proof) {
        return proof.length > 0 && MessageDigest.isEqual(resume(sessionSecret, nonce, runId), proof);
    }

    /** Constant-time comparison of the expected proof with the one the client sent. */
    public static boolean verify(String token, byte[] nonce, long timestampMillis, String runId, byte[] proof) {
        return MessageDigest.isEqual(compute(token, nonce, timestampMillis, runId), proof);
    }
}
