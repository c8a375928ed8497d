package io.jfrp.client;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Proxies the server refused (a port in use, a name taken) are asked for again while the channel
 * lasts: after 1 s, doubling to 30 s, frp's interval. A port freed a minute later is taken then; before,
 * a refusal was final until the next reconnect. Runs on the client's loop.
 */
final class ProxyRetries {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);

    private final Map<String, Integer> attempts = new HashMap<>();
    private final Map<String, String> lastReason = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> pending = new HashMap<>();

    /**
     * Proxy {@code name} was refused for {@code reason}: {@code retry} runs after the next delay.
     * @return the delay, and whether this refusal is news (the first, or another reason) worth a log line
     */
    Refusal refused(String name, String reason, EventLoop loop, Runnable retry) {
        int n = attempts.merge(name, 1, Integer::sum);
        long millis = Math.min(MAX.toMillis(), FIRST.toMillis() << Math.min(n - 1, 10));
        ScheduledFuture<?> old = pending.put(name, loop.schedule(() -> {
            pending.remove(name);
            retry.run();
        }, millis, TimeUnit.MILLISECONDS));
        if (old != null) {
            old.cancel(false);
        }
        boolean news = !reason.equals(lastReason.put(name, reason));
        return new Refusal(Duration.ofMillis(millis), n, news);
    }

    record Refusal(Duration next, int attempt, boolean news) {
    }

    void succeeded(String name) {
        attempts.remove(name);
        lastReason.remove(name);
        ScheduledFuture<?> f = pending.remove(name);
        if (f != null) {
            f.cancel(false);
        }
    }

    /** The channel is gone: the next login asks for every proxy anyway. */
    void clear() {
        pending.values().forEach(f -> f.cancel(false));
        pending.clear();
        attempts.clear();
        lastReason.clear();
    }
}
