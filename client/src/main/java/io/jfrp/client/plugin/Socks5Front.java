package io.jfrp.client.plugin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import io.netty.util.ReferenceCountUtil;

/**
 * frp's {@code socks5} plugin: a SOCKS5 server on the proxy's port (RFC 1928, CONNECT only, with the
 * user name and password of RFC 1929 when the plugin has them), made of Netty's SOCKS5 codecs; after the
 * CONNECT the connection is a tunnel to what the user named.
 */
final class Socks5Front extends ChannelInboundHandlerAdapter {

    static final String DECODER = "socks5-decoder";
    static final String ENCODER = "socks5-encoder";

    private final PluginServer plugin;
    private final UserCheck users;

    Socks5Front(PluginServer plugin, UserCheck users) {
        this.plugin = plugin;
        this.users = users;
    }

    /** The handlers a user's connection starts with. */
    static void install(io.netty.channel.ChannelPipeline p, PluginServer plugin, UserCheck users) {
        p.addLast(DECODER, new Socks5InitialRequestDecoder());
        p.addLast(ENCODER, Socks5ServerEncoder.DEFAULT);
        p.addLast("socks5", new Socks5Front(plugin, users));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Socks5InitialRequest init) {
                Socks5AuthMethod want = users.required() ? Socks5AuthMethod.PASSWORD : Socks5AuthMethod.NO_AUTH;
                if (!init.authMethods().contains(want)) {
                    ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                ctx.pipeline().replace(DECODER, DECODER, users.required() ? new Socks5PasswordAuthRequestDecoder()
                        : new Socks5CommandRequestDecoder());
                ctx.writeAndFlush(new DefaultSocks5InitialResponse(want));
            } else if (msg instanceof Socks5PasswordAuthRequest auth) {
                if (!users.admits(auth.username(), auth.password())) {
                    ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                ctx.pipeline().replace(DECODER, DECODER, new Socks5CommandRequestDecoder());
                ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
            } else if (msg instanceof Socks5CommandRequest cmd) {
                command(ctx, cmd);
            } else {
                // Not SOCKS5 (a decoder's failure, or bytes before the CONNECT was answered).
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void command(ChannelHandlerContext ctx, Socks5CommandRequest cmd) {
        if (cmd.type() != Socks5CommandType.CONNECT) {
            ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.COMMAND_UNSUPPORTED, Socks5AddressType.IPv4))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Channel user = ctx.channel();
        user.config().setAutoRead(false);
        plugin.dial(user, cmd.dstAddr(), cmd.dstPort(), p -> p.addLast("splice", new Splice(user)))
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.HOST_UNREACHABLE,
                                Socks5AddressType.IPv4)).addListener(ChannelFutureListener.CLOSE);
                        return;
                    }
                    Channel service = f.channel();
                    ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS, Socks5AddressType.IPv4,
                            "0.0.0.0", 0));
                    ctx.pipeline().remove(DECODER);
                    ctx.pipeline().remove(ENCODER);
                    ctx.pipeline().replace(this, "splice", new Splice(service));
                    user.config().setAutoRead(true);
                    service.config().setAutoRead(true);
                });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
