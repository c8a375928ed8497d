package io.jfrp.server;

import java.util.Map;

/**
 * What an http proxy has the server change on the way (frp's {@code hostHeaderRewrite},
 * {@code requestHeaders.set}, {@code responseHeaders.set}), as its client sent them in NEW_PROXY.
 */
record HttpEdits(String host, Map<String, String> requestHeaders, Map<String, String> responseHeaders) {

    static final HttpEdits NONE = new HttpEdits("", Map.of(), Map.of());

    HttpEdits {
        requestHeaders = Map.copyOf(requestHeaders);
        responseHeaders = Map.copyOf(responseHeaders);
    }
}
