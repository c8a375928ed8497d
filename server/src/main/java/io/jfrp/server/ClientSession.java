package io.jfrp.server;

import io.jfrp.core.mux.MuxSession;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.Message;
import io.jfrp.protocol.ProtocolException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The server's side of one logged-in client: its proxies and their ports, its heartbeats, and the
 * control messages after login. Lives on its channel's event loop.
 */
final class ClientSession extends ChannelInboundHandlerAdapter implements MuxSession.StreamListener {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    private static final int RANDOM_PORT_TRIES = 32;

    final String runId;
    final String user;
    final String peer;
    final String hostname;
    private final ServerRuntime rt;
    private final Map<String, ProxyListener> proxies = new LinkedHashMap<>();
    private final Map<String, Boolean> binding = new LinkedHashMap<>();
    private Channel channel;
    private MuxSession mux;
    private long heartbeatTimeoutMillis;
    private String closeReason = "the connection closed";

    ClientSession(ServerRuntime rt, String runId, String user, String peer, String hostname) {
        this.rt = rt;
        this.runId = runId;
        this.user = user;
        this.peer = peer;
        this.hostname = hostname;
    }

    void attach(Channel channel, MuxSession mux, long heartbeatTimeoutMillis) {
        this.channel = channel;
        this.mux = mux;
        this.heartbeatTimeoutMillis = heartbeatTimeoutMillis;
    }

    void loggedIn() {
        log.info("client {} logged in from {} (host {}{})", runId, peer, hostname, user.isEmpty() ? "" : ", user " + user);
        channel.writeAndFlush(new Message.LoginOk(runId, "welcome"));
    }

    private String label() {
        return "client " + runId;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Message.NewProxy np) {
            newProxy(np);
        } else if (msg instanceof Message.CloseProxy cp) {
            closeProxy(qualified(cp.name()), "the client closed it");
        } else if (msg instanceof Message.Ping p) {
            ctx.writeAndFlush(new Message.Pong(p.sentNanos()), ctx.voidPromise());
        } else if (msg instanceof Message.GoAway g) {
            closeReason = "the client said goodbye: " + g.reason();
            ctx.close();
        } else if (msg instanceof Message.Pong) {
            // answers to our own pings are not needed: the client drives heartbeats
        } else {
            ReferenceCountUtil.release(msg);
            closeWith(ErrorCode.PROTOCOL_ERROR, "unexpected " + ((msg instanceof Message m) ? m.type() : msg) + " after login");
        }
    }

    private String qualified(String name) {
        return user.isEmpty() ? name : user + "." + name;
    }

    private void newProxy(Message.NewProxy np) {
        String name = qualified(np.name());
        if (!"tcp".equals(np.proxyType())) {
            refuseProxy(np, ErrorCode.UNSUPPORTED, "proxy type " + np.proxyType() + " is not supported by this server");
            return;
        }
        if (proxies.containsKey(name) || binding.containsKey(name)) {
            refuseProxy(np, ErrorCode.NAME_IN_USE, "proxy name " + name + " is already registered by this client");
            return;
        }
        ClientSession owner = rt.registry.claimName(name, this);
        if (owner != null) {
            refuseProxy(np, ErrorCode.NAME_IN_USE, "proxy name " + name + " is already in use by client " + owner.runId
                    + " from " + owner.peer);
            return;
        }
        int port = np.remotePort();
        if (port != 0 && !rt.config.allowPorts().allows(port)) {
            rt.registry.releaseName(name, this);
            refuseProxy(np, ErrorCode.PORT_NOT_ALLOWED, "port " + port + " is not allowed on this server (allowPorts: "
                    + rt.config.allowPorts() + ")");
            return;
        }
        int max = rt.config.maxPortsPerClient();
        if (max > 0 && proxies.size() + binding.size() >= max) {
            rt.registry.releaseName(name, this);
            refuseProxy(np, ErrorCode.TOO_MANY_PORTS, "this client already has " + max + " ports (maxPortsPerClient)");
            return;
        }
        binding.put(name, Boolean.TRUE);
        bind(np, name, port, 0);
    }

    private void bind(Message.NewProxy np, String name, int requested, int attempt) {
        int port = requested;
        if (requested == 0 && !rt.config.allowPorts().isAll()) {
            port = randomAllowedPort();
        }
        int tryPort = port;
        String addr = rt.config.proxyBindAddr();
        ProxyListener.bind(rt, mux, name, addr, tryPort).addListener((ChannelFutureListener) f ->
                channel.eventLoop().execute(() -> bound(np, name, requested, tryPort, attempt, f)));
    }

    private void bound(Message.NewProxy np, String name, int requested, int tried, int attempt, ChannelFuture f) {
        if (f.isSuccess() && (!binding.containsKey(name) || !channel.isActive())) {
            f.channel().close();
            return;
        }
        if (f.isSuccess()) {
            binding.remove(name);
            ProxyListener listener = ProxyListener.of(name, f.channel());
            proxies.put(name, listener);
            log.info("proxy {} of {}: listening on {}:{}", name, label(), rt.config.proxyBindAddr(), listener.port());
            channel.writeAndFlush(new Message.NewProxyResult(np.name(), listener.port(), ErrorCode.OK, ""));
            return;
        }
        if (requested == 0 && !rt.config.allowPorts().isAll() && attempt < RANDOM_PORT_TRIES) {
            bind(np, name, 0, attempt + 1);
            return;
        }
        binding.remove(name);
        rt.registry.releaseName(name, this);
        Throwable cause = f.cause();
        if (cause instanceof BindException || (cause != null && String.valueOf(cause.getMessage()).contains("in use"))) {
            refuseProxy(np, ErrorCode.PORT_IN_USE, requested == 0
                    ? "no free port in allowPorts " + rt.config.allowPorts() + " after " + RANDOM_PORT_TRIES + " tries"
                    : "port " + tried + " is already in use on " + rt.config.proxyBindAddr());
        } else {
            refuseProxy(np, ErrorCode.INTERNAL, "cannot listen on " + rt.config.proxyBindAddr() + ":" + tried + ": " + cause);
        }
    }

    private int randomAllowedPort() {
        List<int[]> ranges = rt.config.allowPorts().ranges();
        int[] r = ranges.get(ThreadLocalRandom.current().nextInt(ranges.size()));
        return r[0] + ThreadLocalRandom.current().nextInt(r[1] - r[0] + 1);
    }

    private void refuseProxy(Message.NewProxy np, ErrorCode code, String reason) {
        log.warn("proxy {} of {} refused: {}", qualified(np.name()), label(), reason);
        channel.writeAndFlush(new Message.NewProxyResult(np.name(), 0, code, reason));
    }

    private void closeProxy(String name, String why) {
        ProxyListener l = proxies.remove(name);
        if (l != null) {
            l.close();
            rt.registry.releaseName(name, this);
            log.info("proxy {} of {}: port {} closed ({})", name, label(), l.port(), why);
        }
    }

    private void closeWith(ErrorCode code, String reason) {
        closeReason = reason;
        log.warn("{} from {}: {}; closing", label(), peer, reason);
        channel.writeAndFlush(new Message.GoAway(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Another login with this runId arrived: close this one and report when its ports are free. */
    Future<Void> replaceBy() {
        Promise<Void> done = channel.eventLoop().newPromise();
        channel.eventLoop().execute(() -> {
            closeReason = "replaced by a new login of the same client";
            List<ChannelFuture> closing = closeAllProxies();
            channel.writeAndFlush(new Message.GoAway(ErrorCode.REPLACED, closeReason)).addListener(ChannelFutureListener.CLOSE);
            if (closing.isEmpty()) {
                done.trySuccess(null);
                return;
            }
            int[] left = {closing.size()};
            for (ChannelFuture f : closing) {
                f.addListener(x -> channel.eventLoop().execute(() -> {
                    if (--left[0] == 0) {
                        done.trySuccess(null);
                    }
                }));
            }
        });
        return done;
    }

    private List<ChannelFuture> closeAllProxies() {
        List<ChannelFuture> closing = new ArrayList<>();
        for (ProxyListener l : proxies.values()) {
            closing.add(l.close());
            rt.registry.releaseName(l.name, this);
        }
        proxies.clear();
        binding.clear();
        return closing;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            closeReason = "no heartbeat for " + heartbeatTimeoutMillis + " ms";
            log.warn("{} from {}: {}; closing the channel", label(), peer, closeReason);
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        int n = proxies.size();
        closeAllProxies();
        rt.registry.unregister(this);
        log.info("{} from {} disconnected ({}); closed {} {}", label(), peer, closeReason, n, n == 1 ? "proxy" : "proxies");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ProtocolException || cause.getCause() instanceof ProtocolException) {
            closeWith(ErrorCode.PROTOCOL_ERROR, "sent an invalid frame: " + cause.getMessage());
        } else if (cause instanceof IOException) {
            closeReason = cause.getMessage();
            ctx.close();
        } else {
            log.warn("{} from {}: unexpected error; closing", label(), peer, cause);
            closeReason = String.valueOf(cause);
            ctx.close();
        }
    }

    @Override
    public void onStreamRefused(String proxyName, String userAddress, String reason) {
        String suffix = rt.peerProblems.admit("refused " + proxyName);
        if (suffix != null) {
            log.warn("proxy {} of {}: user connection from {} closed: {}{}", proxyName, label(), userAddress, reason, suffix);
        }
    }
}
