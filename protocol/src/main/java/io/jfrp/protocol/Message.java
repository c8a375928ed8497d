package io.jfrp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import io.netty.util.AbstractReferenceCounted;

import java.net.InetSocketAddress;

/**
 * Every frame on the wire decodes to one of these records. Control messages travel on stream 0;
 * stream messages name their stream. Only {@link Data} holds a buffer and must be released.
 */
public sealed interface Message {

    /** Stream 0 carries the control conversation (login, proxies, heartbeats). */
    int CONTROL_STREAM = 0;

    MessageType type();

    default int streamId() {
        return CONTROL_STREAM;
    }

    /** First bytes each side sends: the magic, then the protocol version. */
    record Preface(int major, int minor) implements Message {
        public MessageType type() { return MessageType.PREFACE; }
    }

    /** Client to server, right after the preface. */
    record Hello(String softwareVersion, int features) implements Message {
        public MessageType type() { return MessageType.HELLO; }
    }

    /**
     * Server to client: the nonce the login proof must cover. {@code serverTimeMillis}: the server's clock
     * when it sent this (a trailing field, 0 from a server before it; a decoder that does not know it
     * stops before it), for the client's doctor to measure the skew the login allows.
     */
    record Challenge(byte[] nonce, String softwareVersion, int features, long serverTimeMillis) implements Message {
        public Challenge(byte[] nonce, String softwareVersion, int features) {
            this(nonce, softwareVersion, features, 0);
        }

        public MessageType type() { return MessageType.CHALLENGE; }
    }

    /**
     * The login proof is HMAC-SHA256 over the nonce, the timestamp and the runId; see {@link LoginProof}.
     * {@code resumeProof}: empty, or {@link LoginProof#resume} with the secret of the session this login
     * resumes (a trailing field: a 1.0 decoder stops before it).
     */
    record Login(String runId, String user, long timestampMillis, byte[] proof, String hostname,
                 int heartbeatIntervalMillis, byte[] resumeProof) implements Message {
        public Login(String runId, String user, long timestampMillis, byte[] proof, String hostname,
                     int heartbeatIntervalMillis) {
            this(runId, user, timestampMillis, proof, hostname, heartbeatIntervalMillis, new byte[0]);
        }

        public MessageType type() { return MessageType.LOGIN; }
    }

    /** {@code sessionSecret}: what a later login must prove to resume this session (trailing; empty from a 1.0 server). */
    record LoginOk(String runId, String message, byte[] sessionSecret) implements Message {
        public LoginOk(String runId, String message) {
            this(runId, message, new byte[0]);
        }

        public MessageType type() { return MessageType.LOGIN_OK; }
    }

    record LoginFail(ErrorCode code, String reason) implements Message {
        public MessageType type() { return MessageType.LOGIN_FAIL; }
    }

    /**
     * Client asks the server to open a proxy; remotePort 0 lets the server pick. {@code options} is the
     * optional trailing table of string keys and values (docs/protocol.md): what a proxy type needs
     * beyond a port travels there, so the frame does not grow a field per key. Today: {@code
     * annotation.KEY} for each of frp's annotations.
     */
    record NewProxy(String name, String proxyType, int remotePort, java.util.Map<String, String> options)
            implements Message {
        /** The options key prefix of an annotation. */
        public static final String ANNOTATION = "annotation.";
        /** Options of proxies routed by name: their domains (comma-separated) and subdomain. */
        public static final String CUSTOM_DOMAINS = "customDomains";
        public static final String SUBDOMAIN = "subdomain";
        /** jfrp's doctor: check the name and port (allowed, free) and answer, without opening anything. */
        public static final String CHECK_ONLY = "jfrp.checkOnly";
        /** Options of proxies routed by name: the credentials a user must present, and the user it takes. */
        public static final String HTTP_USER = "httpUser";
        public static final String HTTP_PASSWORD = "httpPassword";
        public static final String ROUTE_BY_HTTP_USER = "routeByHTTPUser";
        /** Options of http proxies: path prefixes (one a line), the Host to send, and headers to set. */
        public static final String LOCATIONS = "locations";
        public static final String HOST_HEADER_REWRITE = "hostHeaderRewrite";
        public static final String REQUEST_HEADER = "requestHeader.";
        public static final String RESPONSE_HEADER = "responseHeader.";
        /** frp's load-balancing group the proxy joins (its port or names shared), and the key the group demands. */
        public static final String GROUP = "group";
        public static final String GROUP_KEY = "groupKey";
        /** frp's bandwidthLimitMode = "server": the bytes per second the server holds the proxy's streams to. */
        public static final String BANDWIDTH_LIMIT = "bandwidthLimit";

        public NewProxy {
            options = java.util.Map.copyOf(options);
        }

        public NewProxy(String name, String proxyType, int remotePort) {
            this(name, proxyType, remotePort, java.util.Map.of());
        }

        /** A request carrying {@code annotations} as options. */
        public static NewProxy annotated(String name, String proxyType, int remotePort,
                                         java.util.Map<String, String> annotations) {
            java.util.Map<String, String> options = new java.util.HashMap<>();
            annotations.forEach((k, v) -> options.put(ANNOTATION + k, v));
            return new NewProxy(name, proxyType, remotePort, options);
        }

        /** The annotations among the options, by their own keys. */
        public java.util.Map<String, String> annotations() {
            return optionsUnder(ANNOTATION);
        }

        /** The options whose keys start with {@code prefix}, by the rest of their keys. */
        public java.util.Map<String, String> optionsUnder(String prefix) {
            return optionsUnder(options, prefix);
        }

        /** The entries of {@code options} whose keys start with {@code prefix}, by the rest of their keys. */
        public static java.util.Map<String, String> optionsUnder(java.util.Map<String, String> options, String prefix) {
            java.util.Map<String, String> out = new java.util.HashMap<>();
            options.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.put(k.substring(prefix.length()), v);
                }
            });
            return out;
        }

        public MessageType type() { return MessageType.NEW_PROXY; }
    }

    /** The server's answer; code OK with the port it opened, or an error and why. */
    record NewProxyResult(String name, int remotePort, ErrorCode code, String error) implements Message {
        public MessageType type() { return MessageType.NEW_PROXY_RESULT; }
    }

    record CloseProxy(String name) implements Message {
        public MessageType type() { return MessageType.CLOSE_PROXY; }
    }

    record Ping(long sentNanos) implements Message {
        public MessageType type() { return MessageType.PING; }
    }

    record Pong(long sentNanos) implements Message {
        public MessageType type() { return MessageType.PONG; }
    }

    /** The sender is about to close the channel, and says why. */
    record GoAway(ErrorCode code, String reason) implements Message {
        public MessageType type() { return MessageType.GOAWAY; }
    }

    /**
     * Server to client: a user connected to proxy {@code proxyName} from {@code user}; dial the local
     * service. {@code binaryAddress}: sent in protocol 1.1's form (STREAM_OPEN_BINARY), exact; else as text.
     */
    record StreamOpen(int streamId, String proxyName, InetSocketAddress user, boolean binaryAddress) implements Message {
        /** The protocol 1.0 form, whose address is text. */
        public StreamOpen(int streamId, String proxyName, String userAddress) {
            this(streamId, proxyName, UserAddress.parse(userAddress), false);
        }

        public MessageType type() { return binaryAddress ? MessageType.STREAM_OPEN_BINARY : MessageType.STREAM_OPEN; }

        /** The user's address for logs: {@code 1.2.3.4:5678}. */
        public String userAddress() { return UserAddress.text(user); }
    }

    record StreamOpenOk(int streamId) implements Message {
        public MessageType type() { return MessageType.STREAM_OPEN_OK; }
    }

    record StreamOpenFail(int streamId, String reason) implements Message {
        public MessageType type() { return MessageType.STREAM_OPEN_FAIL; }
    }

    /** Protocol 1.0 credit: the sender of this frame lets its peer send {@code increment} more bytes. */
    record WindowUpdate(int streamId, int increment) implements Message {
        public MessageType type() { return MessageType.WINDOW_UPDATE; }
    }

    /**
     * Protocol 1.1 credit, as QUIC's MAX_STREAM_DATA: the peer may send this stream's bytes up to
     * {@code maxOffset} (counted from the stream's first byte); {@code consumed} of them reached the
     * sender's local end, so a stream moved to another carrier would resume from there.
     */
    record WindowOffset(int streamId, long maxOffset, long consumed) implements Message {
        public MessageType type() { return MessageType.WINDOW_OFFSET; }
    }

    /** Half-close: the sender will send no more data on this stream. */
    record Fin(int streamId) implements Message {
        public MessageType type() { return MessageType.FIN; }
    }

    /** The sender's end is gone: deliver what is queued, then close. */
    record Reset(int streamId, String reason) implements Message {
        public MessageType type() { return MessageType.RESET; }
    }

    /** Stream bytes. Owns {@code payload}: whoever receives a Data releases it (or passes it on). */
    final class Data extends AbstractReferenceCounted implements Message {
        private final int streamId;
        private final ByteBuf payload;

        public Data(int streamId, ByteBuf payload) {
            this.streamId = streamId;
            this.payload = payload;
        }

        public MessageType type() { return MessageType.DATA; }

        @Override
        public int streamId() { return streamId; }

        public ByteBuf payload() { return payload; }

        @Override
        protected void deallocate() {
            payload.release();
        }

        @Override
        public ReferenceCounted touch(Object hint) {
            payload.touch(hint);
            return this;
        }

        @Override
        public String toString() {
            return "Data[stream=" + streamId + ", bytes=" + payload.readableBytes() + "]";
        }
    }
}
