package io.jfrp.protocol;

/** Constants of the wire format (docs/protocol.md). */
public final class Wire {
    private Wire() {
    }

    /** This build's version ("0.1.0"), from the Maven project version; sent in HELLO and CHALLENGE. */
    public static final String SOFTWARE_VERSION = readVersion();

    private static String readVersion() {
        try (java.io.InputStream in = Wire.class.getResourceAsStream("version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** "JFRP" in ASCII. */
    public static final int MAGIC = 0x4A465250;
    public static final int VERSION_MAJOR = 1;
    /** 1.1 adds WINDOW_OFFSET and STREAM_OPEN_BINARY, used only when both sides set their HELLO bits. */
    public static final int VERSION_MINOR = 1;
    public static final int PREFACE_LENGTH = 6;
    /** type (1) + stream id (4) + payload length (4). */
    public static final int HEADER_LENGTH = 9;
    /** Hard maximum of any frame's payload; a larger length is a protocol error. */
    public static final int MAX_PAYLOAD = 256 * 1024;
    /** Senders cut stream data into chunks of at most this size. */
    public static final int MAX_DATA_CHUNK = 64 * 1024;
    /** Control messages are small; this bounds what a peer can make us buffer before login. */
    public static final int MAX_CONTROL_PAYLOAD = 16 * 1024;
    /**
     * Bytes each side may send on a new stream before the receiver grants more. Small, so that a
     * stalled reader pins little memory; the receiver grows a stream's window (up to {@link #MAX_WINDOW})
     * while its sender is held back by the window and its local socket keeps up.
     */
    public static final int INITIAL_WINDOW = 256 * 1024;
    /** The largest window a receiver grows a stream to: enough for one stream to fill a fast link. */
    public static final int MAX_WINDOW = 16 * 1024 * 1024;
    public static final int NONCE_LENGTH = 32;
    /**
     * HELLO feature bit: this client takes stream data that arrives before it has confirmed the stream
     * (it holds it until the local service answers), so the server may send a user's first bytes right
     * behind STREAM_OPEN instead of waiting a round trip for STREAM_OPEN_OK.
     */
    public static final int FEATURE_EARLY_DATA = 1;
    /** Protocol 1.1: credit as WINDOW_OFFSET (absolute offset allowed, and consumed offset) instead of WINDOW_UPDATE. */
    public static final int FEATURE_WINDOW_OFFSETS = 2;
    /** Protocol 1.1: STREAM_OPEN_BINARY, the user's address as bytes, instead of STREAM_OPEN's text. */
    public static final int FEATURE_BINARY_ADDRESS = 4;
    /**
     * HELLO bit of one connection, not a capability of the build: this channel joins its session beside
     * the channel it has now, which keeps the streams it carries until they end (a client moving to a
     * better channel without breaking them). A server that can do so answers with the bit; one that does
     * not replaces the channel it had, as at any resume.
     */
    public static final int FEATURE_JOIN = 8;
    /**
     * What this build speaks. A client sends it in HELLO; the server answers in CHALLENGE with the bits
     * both have, and from then on each side uses exactly those (a 1.0 peer knows none of 2 and 4).
     */
    public static final int FEATURES = FEATURE_EARLY_DATA | FEATURE_WINDOW_OFFSETS | FEATURE_BINARY_ADDRESS;
    /** What a server answers with at most: {@link #FEATURES}, and {@link #FEATURE_JOIN} when asked for it. */
    public static final int SERVER_FEATURES = FEATURES | FEATURE_JOIN;
    /** The features in {@code bits}, in words, for the log line that says which a peer lacks. */
    public static String featureNames(int bits) {
        java.util.List<String> out = new java.util.ArrayList<>();
        String[] names = {"early data", "window offsets (1.1)", "binary user addresses (1.1)", "channel joins"};
        for (int i = 0; i < 31; i++) {
            if ((bits & (1 << i)) != 0) {
                out.add(i < names.length ? names[i] : "feature bit " + i);
            }
        }
        return String.join(", ", out);
    }

    /** Which side of a major-version mismatch to upgrade: the one with the older protocol. */
    public static String upgradeAdvice(int serverMajor, int clientMajor) {
        return serverMajor < clientMajor ? "upgrade jfrps (the older side) to protocol " + clientMajor + ".x"
                : "upgrade jfrpc (the older side) to protocol " + serverMajor + ".x";
    }

    public static final int MAX_STRING_BYTES = 4096;
    /** Options (annotations, and later routing keys) one NEW_PROXY may carry; the control payload's limit bounds their bytes. */
    public static final int MAX_PROXY_OPTIONS = 128;
}
