package io.jfrp.protocol;

/** Numeric frame types. Numbers are part of the wire format: never renumber, only add. */
public enum MessageType {
    PREFACE(0),
    HELLO(1),
    CHALLENGE(2),
    LOGIN(3),
    LOGIN_OK(4),
    LOGIN_FAIL(5),
    NEW_PROXY(6),
    NEW_PROXY_RESULT(7),
    CLOSE_PROXY(8),
    PING(9),
    PONG(10),
    GOAWAY(11),
    STREAM_OPEN(32),
    STREAM_OPEN_OK(33),
    STREAM_OPEN_FAIL(34),
    DATA(35),
    WINDOW_UPDATE(36),
    FIN(37),
    RESET(38),
    /** Protocol 1.1: the absolute offset a receiver allows, and what it consumed. */
    WINDOW_OFFSET(39),
    /** Protocol 1.1: STREAM_OPEN with the user's address in binary. */
    STREAM_OPEN_BINARY(40);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    public final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** @return the type, or null for a code this version does not know */
    public static MessageType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public boolean isStreamMessage() {
        return code >= 32;
    }
}
