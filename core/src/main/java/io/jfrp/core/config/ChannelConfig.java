package io.jfrp.core.config;

import io.jfrp.core.transport.ClientTransport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One way to reach the server: an address, a port and a transport. A client has an ordered list of them
 * ({@code [[channels]]}, a jfrp extension), or the one frp's {@code serverAddr}, {@code serverPort} and
 * {@code transport.protocol} make.
 */
public record ChannelConfig(String name, String serverAddr, int serverPort, String protocol) {

    /** What this channel is, for logs and status: {@code name (protocol host:port)}. */
    public String describe() {
        return name + " (" + protocol + " " + serverAddr + ":" + serverPort + ")";
    }

    /**
     * The channels of a client config: {@code [[channels]]} when set, else the one of serverAddr,
     * serverPort and transport.protocol; {@code transport.protocol = "auto"} (jfrp) makes that one a TCP
     * and a WebSocket channel to the same port, tried in that order.
     */
    static List<ChannelConfig> read(ConfigSection s, String serverAddr, int serverPort, String protocol) {
        List<ConfigSection> tables = s.tables("channels");
        if (tables.isEmpty()) {
            if (protocol.equals("auto")) {
                return List.of(new ChannelConfig("tcp", serverAddr, serverPort, "tcp"),
                        new ChannelConfig("websocket", serverAddr, serverPort, "websocket"));
            }
            return List.of(new ChannelConfig("server", serverAddr, serverPort, protocol));
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
            c.unsupported("localAddr", "");
            c.unsupported("proxyURL", "");
            c.finish();
            out.add(new ChannelConfig(name, addr, port, p));
        }
        return List.copyOf(out);
    }
}
