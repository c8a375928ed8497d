package io.jfrp.core.config;

import io.jfrp.core.transport.ClientTransport;
import io.jfrp.core.transport.OutboundProxy;
import io.jfrp.core.transport.ServerRoute;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NetUtil;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One way to reach the server: an address, a port and a transport, optionally a local address to leave
 * from ({@code localAddr}, empty: any) and a proxy to go through ({@code proxy}, null: none). A client has
 * an ordered list of them ({@code [[channels]]}, a jfrp extension), or the one frp's {@code serverAddr},
 * {@code serverPort}, {@code transport.protocol}, {@code transport.connectServerLocalIP} and
 * {@code transport.proxyURL} make.
 */
public record ChannelConfig(String name, String serverAddr, int serverPort, String protocol, String localAddr,
                            OutboundProxy proxy) {

    /** A channel that leaves from any address, with no proxy. */
    public ChannelConfig(String name, String serverAddr, int serverPort, String protocol) {
        this(name, serverAddr, serverPort, protocol, "", null);
    }

    /** What this channel is, for logs and status: {@code name (protocol host:port)}. */
    public String describe() {
        return name + " (" + protocol + " " + serverAddr + ":" + serverPort
                + (proxy == null ? "" : " through " + proxy) + ")";
    }

    /** How to dial this channel, with the session's TLS (null: none) asking for {@code serverName}. */
    public ServerRoute route(int timeoutMillis, SslContext ssl, String serverName) {
        return new ServerRoute(serverAddr, serverPort, timeoutMillis, localAddr, proxy, ssl, serverName);
    }

    /**
     * The channels of a client config: {@code [[channels]]} when set, else the one of serverAddr,
     * serverPort and transport.protocol; {@code transport.protocol = "auto"} (jfrp) makes that one a TCP
     * and a WebSocket channel to the same port, tried in that order.
     */
    static List<ChannelConfig> read(ConfigSection s, String serverAddr, int serverPort, String protocol) {
        String localAddr = localAddr(s, "transport.connectServerLocalIP");
        OutboundProxy proxy = proxy(s, "transport.proxyURL", null);
        List<ConfigSection> tables = s.tables("channels");
        if (tables.isEmpty()) {
            if (protocol.equals("auto")) {
                return List.of(new ChannelConfig("tcp", serverAddr, serverPort, "tcp", localAddr, proxy),
                        new ChannelConfig("websocket", serverAddr, serverPort, "websocket", localAddr, proxy));
            }
            return List.of(one(s, "transport.proxyURL", new ChannelConfig("server", serverAddr, serverPort, protocol,
                    localAddr, proxy)));
        }
        if (s.sets("serverAddr") || s.sets("serverPort")) {
            s.problem("channels", s.node("channels"), "set beside serverAddr/serverPort (expected: one or the other; "
                    + "the first channel is where the client goes first)");
        }
        List<ChannelConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tables.size(); i++) {
            ConfigSection c = tables.get(i);
            String name = c.string("name", "channel-" + (i + 1));
            if (!names.add(name)) {
                c.problem("name", c.node("name"), "\"" + name + "\" is already a channel's name (expected: a unique name)");
            }
            String addr = c.requiredString("serverAddr");
            int port = c.port("serverPort", 7000, false);
            String p = c.string("protocol", "tcp");
            if (!ClientTransport.PROTOCOLS.contains(p)) {
                c.problem("protocol", c.node("protocol"), "\"" + p + "\" (expected: one of "
                        + String.join(", ", ClientTransport.PROTOCOLS) + ")");
            }
            String local = c.sets("localAddr") ? localAddr(c, "localAddr") : localAddr;
            OutboundProxy via = proxy(c, "proxyURL", proxy);
            c.finish();
            out.add(one(c, "proxyURL", new ChannelConfig(name, addr, port, p, local, via)));
        }
        return List.copyOf(out);
    }

    /** A proxy only where it can carry the transport: an explicit one on UDP is an error, one from the environment is not. */
    private static ChannelConfig one(ConfigSection s, String key, ChannelConfig c) {
        if (c.proxy == null || ClientTransport.OVER_TCP.contains(c.protocol)) {
            return c;
        }
        if (s.sets(key)) {
            s.problem(key, s.node(key), "set for protocol \"" + c.protocol + "\" (expected: a proxy carries TCP: "
                    + String.join(", ", ClientTransport.OVER_TCP) + ")");
        }
        return new ChannelConfig(c.name, c.serverAddr, c.serverPort, c.protocol, c.localAddr, null);
    }

    private static String localAddr(ConfigSection s, String key) {
        String a = s.string(key, "");
        if (!a.isEmpty() && !NetUtil.isValidIpV4Address(a) && !NetUtil.isValidIpV6Address(a)) {
            s.problem(key, s.node(key), "\"" + a + "\" (expected: an IP address of this host to connect from)");
            return "";
        }
        return a;
    }

    /**
     * The proxy {@code key} names; unset, {@code inherited}; and at the top level, as frp, the
     * {@code http_proxy} environment variable, unless {@code no_proxy} names the server.
     */
    private static OutboundProxy proxy(ConfigSection s, String key, OutboundProxy inherited) {
        String url = s.string(key, "");
        if (url.isEmpty()) {
            return inherited != null || !key.equals("transport.proxyURL") ? inherited : fromEnvironment(s);
        }
        try {
            return OutboundProxy.parse(url);
        } catch (IllegalArgumentException e) {
            s.problem(key, s.node(key), "\"" + url + "\": " + e.getMessage());
            return null;
        }
    }

    private static OutboundProxy fromEnvironment(ConfigSection s) {
        Map<String, String> env = s.env();
        String url = env.getOrDefault("http_proxy", "");
        if (url.isEmpty()) {
            return null;
        }
        String host = s.string("serverAddr", "0.0.0.0").toLowerCase(Locale.ROOT);
        String noProxy = env.getOrDefault("no_proxy", env.getOrDefault("NO_PROXY", ""));
        for (String n : noProxy.split(",")) {
            String d = n.trim().toLowerCase(Locale.ROOT);
            if (d.equals("*") || (!d.isEmpty() && (host.equals(d) || host.endsWith(d.startsWith(".") ? d : "." + d)))) {
                return null;
            }
        }
        try {
            return OutboundProxy.parse(url);
        } catch (IllegalArgumentException e) {
            s.problem("transport.proxyURL", null, "the environment's http_proxy \"" + url + "\", taken when "
                    + "transport.proxyURL is unset: " + e.getMessage());
            return null;
        }
    }
}
