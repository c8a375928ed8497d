package io.jfrp.client;

import io.jfrp.core.config.ClientConfig;
import io.jfrp.core.net.NettyTransport;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ObjIntConsumer;

/**
 * While the session runs on a worse channel, probes the better ones (a HELLO answered, see
 * {@link ChannelProbe}) every sixth of the fail-back time, at least every second and at most every ten,
 * and asks for the move when {@link ChannelChoice} finds one healthy for the whole fail-back time.
 * Runs on the client's loop.
 */
final class FailBack {

    private static final Logger log = LoggerFactory.getLogger(FailBack.class);

    private final ClientConfig config;
    private final NettyTransport transport;
    private final SslContext ssl;
    private final EventLoop loop;
    private final ChannelChoice choice;
    private final ChannelHealth health;
    private final BooleanSupplier loggedIn;
    /** Moves the session to the channel chosen (now current), given the one it leaves and that one's index. */
    private final ObjIntConsumer<String> move;
    private ScheduledFuture<?> next;

    FailBack(ClientConfig config, NettyTransport transport, SslContext ssl, EventLoop loop, ChannelChoice choice,
             ChannelHealth health, BooleanSupplier loggedIn, ObjIntConsumer<String> move) {
        this.health = health;
        this.config = config;
        this.transport = transport;
        this.ssl = ssl;
        this.loop = loop;
        this.choice = choice;
        this.loggedIn = loggedIn;
        this.move = move;
    }

    void start() {
        long every = Math.max(1000, Math.min(10_000, config.failBackAfter().toMillis() / 6));
        next = loop.schedule(this::probe, every, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    private void probe() {
        next = null;
        if (!loggedIn.getAsBoolean()) {
            return;
        }
        int timeout = (int) Math.min(5000, config.dialServerTimeout().toMillis());
        int on = choice.index();
        int[] left = {on};
        for (int i = 0; i < on; i++) {
            int better = i;
            ChannelProbe.probe(transport, loop, choice.get(i), ssl, config.tls().serverName(), timeout).addListener(f -> {
                if (choice.index() != on || !loggedIn.getAsBoolean()) {
                    return;
                }
                long rtt = f.isSuccess() ? (Long) f.getNow() : -1;
                choice.probed(better, rtt >= 0);
                health.probed(better, rtt);
                if (--left[0] > 0) {
                    return;
                }
                int back = choice.moveBack();
                if (back < 0) {
                    start();
                    return;
                }
                String from = choice.current().describe();
                choice.moveTo(back);
                move.accept(from, on);
            });
        }
    }
}
