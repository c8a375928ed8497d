package io.jfrp.server;

import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.Message;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/** A client that speaks jfrp's protocol on {@code channel}: the session's words become its messages. */
final class JfrpClientPeer implements ClientPeer {

    private final Channel channel;
    private final String address;

    JfrpClientPeer(Channel channel, String address) {
        this.channel = channel;
        this.address = address;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void welcome(String runId, boolean resumed, byte[] sessionSecret) {
        channel.writeAndFlush(new Message.LoginOk(runId, resumed ? "resumed" : "welcome", sessionSecret),
                channel.voidPromise());
    }

    @Override
    public void proxyOpened(String name, int port) {
        channel.writeAndFlush(new Message.NewProxyResult(name, port, ErrorCode.OK, ""), channel.voidPromise());
    }

    @Override
    public void proxyRefused(String name, ProxyRefusal why, String reason) {
        channel.writeAndFlush(new Message.NewProxyResult(name, 0, code(why), reason), channel.voidPromise());
    }

    @Override
    public void dismiss(Dismissal why, String reason) {
        ErrorCode code = switch (why) {
            case REPLACED -> ErrorCode.REPLACED;
            case SESSION_OVER -> ErrorCode.SHUTTING_DOWN;
            case LOGIN_TOO_LATE -> ErrorCode.TIMEOUT;
        };
        channel.writeAndFlush(new Message.GoAway(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    static ErrorCode code(ProxyRefusal why) {
        return switch (why) {
            case TYPE_NOT_SERVED -> ErrorCode.UNSUPPORTED;
            case NAME_IN_USE -> ErrorCode.NAME_IN_USE;
            case BAD_NAME -> ErrorCode.PROTOCOL_ERROR;
            case PORT_NOT_ALLOWED -> ErrorCode.PORT_NOT_ALLOWED;
            case TOO_MANY_PORTS -> ErrorCode.TOO_MANY_PORTS;
            case PORT_IN_USE -> ErrorCode.PORT_IN_USE;
            case INTERNAL -> ErrorCode.INTERNAL;
        };
    }

    @Override
    public String toString() {
        return "jfrp client at " + address;
    }
}
