package io.jfrp.server;

import io.jfrp.protocol.Message;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;

import java.util.Map;

/**
 * What an http proxy's client asks the server to put into requests and answers is checked before it is
 * taken: a header name that is not HTTP's token, or a value with a line break, would let a client split
 * the messages of other users' connections.
 */
final class HttpEditsCheck {

    private HttpEditsCheck() {
    }

    /** @return what is wrong with the request's edits, or null */
    static String problem(ProxyRequest req) {
        String host = req.option(Message.NewProxy.HOST_HEADER_REWRITE);
        if (!value(host)) {
            return "hostHeaderRewrite holds a control character";
        }
        for (String prefix : new String[]{Message.NewProxy.REQUEST_HEADER, Message.NewProxy.RESPONSE_HEADER}) {
            for (Map.Entry<String, String> e : req.optionsUnder(prefix).entrySet()) {
                if (e.getKey().isEmpty() || HttpHeaderValidationUtil.validateToken(e.getKey()) != -1) {
                    return "header name \"" + io.jfrp.core.log.PeerText.escape(e.getKey()) + "\" is not an HTTP token";
                }
                if (!value(e.getValue())) {
                    return "the value of header " + e.getKey() + " holds a control character";
                }
            }
        }
        return null;
    }

    private static boolean value(String v) {
        return HttpHeaderValidationUtil.validateValidHeaderValue(v) == -1;
    }
}
