package io.jfrp.protocol;

import io.netty.handler.codec.DecoderException;

/** The peer sent bytes that are not valid jfrp; the message says what and is fit for a log line. */
public class ProtocolException extends DecoderException {
    public ProtocolException(String message) {
        super(message);
    }
}
