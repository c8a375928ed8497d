package io.jfrp.server;

import io.jfrp.core.config.PortRanges;
import io.jfrp.core.config.ServerConfig;
import io.jfrp.core.mux.ChannelCarrier;
import io.jfrp.core.net.NettyTransport;
import io.jfrp.protocol.ErrorCode;
import io.jfrp.protocol.Message;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which public ports a client gets: within allowPorts (a random one for port 0), at most
 * maxPortsPerClient, a name only once. Ports are really bound (on loopback); the control channel is an
 * {@link EmbeddedChannel} touched only from the session's loop, where the session writes to it.
 */
class ProxyPortsTest {

    /** Below Linux's ephemeral range, so a random choice rarely meets a port the system handed out. */
    private static final int FROM = 21100;
    private static final int TO = 21199;

    private final NettyTransport transport = NettyTransport.create("jfrps-test", 1);
    private final EventLoop loop = transport.group().next();
    private final List<ClientSession> sessions = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (ClientSession s : sessions) {
            onLoop(() -> s.close("test over"));
        }
        transport.close();
    }

    private ServerRuntime runtime(PortRanges allow, int maxPerClient) {
        ServerConfig cfg = ServerConfig.defaults().withDataDir(Path.of("unused")).withBind("127.0.0.1", 0)
                .withPorts(allow, maxPerClient);
        return new ServerRuntime(cfg, transport, null);
    }

    /** A logged-in session whose control channel records the results of its proxies by name. */
    private final class Client {
        final ClientSession session;
        final EmbeddedChannel control;
        final Map<String, Message.NewProxyResult> results = new ConcurrentHashMap<>();

        Client(ServerRuntime rt, String runId) throws Exception {
            session = rt.registry.sessionFor(rt, runId, "", null, loop, s -> true).session();
            sessions.add(session);
            control = onLoop(() -> {
                EmbeddedChannel ch = new EmbeddedChannel();
                ClientPeer peer = new JfrpClientPeer(ch, "peer");
                // As after a login: the carrier, then the handler that turns jfrp's messages into requests.
                ch.pipeline().addLast(new ChannelCarrier(session.mux(), 0));
                ch.pipeline().addLast(new SessionChannel(session, peer, 60_000));
                session.attach(peer, "host", false);
                return ch;
            });
        }

        Message.NewProxyResult ask(String name, String type, int port) throws Exception {
            onLoop(() -> {
                control.writeInbound(new Message.NewProxy(name, type, port));
                return null;
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                onLoop(this::collect);
                return results.containsKey(name);
            });
            return results.get(name);
        }

        private Void collect() {
            Object o;
            while ((o = control.readOutbound()) != null) {
                if (o instanceof Message.NewProxyResult r) {
                    results.put(r.name(), r);
                }
                ReferenceCountUtil.release(o);
            }
            return null;
        }
    }

    private <T> T onLoop(Callable<T> c) throws Exception {
        return loop.submit(c).get(5, TimeUnit.SECONDS);
    }

    @Test
    void portZeroGetsARandomPortWithinAllowPortsAndOthersAreRefused() throws Exception {
        Client c = new Client(runtime(new PortRanges(List.of(new int[]{FROM, TO})), 0), "run-a");
        Set<Integer> given = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            Message.NewProxyResult r = c.ask("p" + i, "tcp", 0);
            assertThat(r.code()).as(r.error()).isEqualTo(ErrorCode.OK);
            assertThat(r.remotePort()).isBetween(FROM, TO);
            given.add(r.remotePort());
        }
        assertThat(given).as("five proxies, five ports").hasSize(5);
        Message.NewProxyResult outside = c.ask("out", "tcp", TO + 1);
        assertThat(outside.code()).isEqualTo(ErrorCode.PORT_NOT_ALLOWED);
        assertThat(outside.error()).contains("port " + (TO + 1) + " is not allowed").contains(FROM + "-" + TO);
    }

    @Test
    void maxPortsPerClientCountsThisClientsPortsOnly() throws Exception {
        ServerRuntime rt = runtime(PortRanges.ALL, 2);
        Client a = new Client(rt, "run-a");
        assertThat(a.ask("a1", "tcp", 0).code()).isEqualTo(ErrorCode.OK);
        assertThat(a.ask("a2", "tcp", 0).code()).isEqualTo(ErrorCode.OK);
        Message.NewProxyResult third = a.ask("a3", "tcp", 0);
        assertThat(third.code()).isEqualTo(ErrorCode.TOO_MANY_PORTS);
        assertThat(third.error()).contains("already has 2 ports (maxPortsPerClient)");
        // Another client has its own allowance.
        Client b = new Client(rt, "run-b");
        assertThat(b.ask("b1", "tcp", 0).code()).isEqualTo(ErrorCode.OK);
        // A closed proxy gives its port back to the allowance.
        onLoop(() -> {
            a.control.writeInbound(new Message.CloseProxy("a1"));
            return null;
        });
        a.results.remove("a3");
        assertThat(a.ask("a3", "tcp", 0).code()).isEqualTo(ErrorCode.OK);
    }

    @Test
    void aNameIsOneClientsAndATypeNotServedIsRefused() throws Exception {
        ServerRuntime rt = runtime(PortRanges.ALL, 0);
        Client a = new Client(rt, "run-a");
        Client b = new Client(rt, "run-b");
        assertThat(a.ask("web", "tcp", 0).code()).isEqualTo(ErrorCode.OK);
        Message.NewProxyResult dup = b.ask("web", "tcp", 0);
        assertThat(dup.code()).isEqualTo(ErrorCode.NAME_IN_USE);
        Message.NewProxyResult notHere = b.ask("site", "http", 0);
        assertThat(notHere.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(notHere.error()).contains("http proxies are not enabled on this server (vhostHTTPPort)");
        Message.NewProxyResult notYet = b.ask("secret", "stcp", 0);
        assertThat(notYet.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(notYet.error()).contains("proxy type stcp is not supported by this server");
        Message.NewProxyResult unknown = b.ask("odd", "sctp\n", 0);
        assertThat(unknown.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(unknown.error()).isEqualTo("proxy type \"sctp\\n\" is unknown to this server");
    }
}
