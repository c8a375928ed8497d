package io.jfrp.protocol;

/** Why a login, a proxy or a channel was refused. Numbers are part of the wire format. */
public enum ErrorCode {
    OK(0),
    AUTH_FAILED(1),
    VERSION_MISMATCH(2),
    PROTOCOL_ERROR(3),
    NAME_IN_USE(4),
    PORT_NOT_ALLOWED(5),
    PORT_IN_USE(6),
    TOO_MANY_PORTS(7),
    UNSUPPORTED(8),
    TIMEOUT(9),
    REPLACED(10),
    SHUTTING_DOWN(11),
    INTERNAL(12),
    /** The login's timestamp is too far from the server's clock: a clock to set right, not a token to fix. */
    CLOCK_SKEW(13),
    /** A login names a live session it cannot prove is its own (LoginProof#resume). */
    SESSION_NOT_YOURS(14);

    public final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** Unknown codes from a newer peer read as INTERNAL rather than failing the frame. */
    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return INTERNAL;
    }
}
