package io.jfrp.client;

import io.jfrp.core.config.ProxyConfig;
import io.jfrp.core.net.NettyTransport;
import io.netty.channel.EventLoop;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The health checks of the client's proxies, one per proxy that has one, kept in step with the config:
 * a reload starts the checks of added or changed proxies and stops those of removed or changed ones.
 * Used on the control loop.
 */
final class ServiceChecks {

    private final NettyTransport transport;
    private final EventLoop loop;
    private final ServiceCheck.Verdicts verdicts;
    private final Map<String, ServiceCheck> byName = new HashMap<>();

    ServiceChecks(NettyTransport transport, EventLoop loop, ServiceCheck.Verdicts verdicts) {
        this.transport = transport;
        this.loop = loop;
        this.verdicts = verdicts;
    }

    /** Whether {@code name} may be registered: it has no check, or its service passes it. */
    boolean inService(String name) {
        ServiceCheck c = byName.get(name);
        return c == null || c.passing();
    }

    /** The checks of {@code proxies} run, each proxy's as configured now; those of proxies gone or changed stop. */
    void sync(Collection<ProxyConfig> proxies) {
        Map<String, ProxyConfig> now = new HashMap<>();
        proxies.forEach(p -> now.put(p.name(), p));
        for (ServiceCheck c : java.util.List.copyOf(byName.values())) {
            if (!c.proxy().equals(now.get(c.proxy().name()))) {
                byName.remove(c.proxy().name()).stop();
            }
        }
        for (ProxyConfig p : proxies) {
            if (p.balancing().check() != null && !byName.containsKey(p.name())) {
                ServiceCheck c = new ServiceCheck(p, transport, loop, verdicts);
                byName.put(p.name(), c);
                c.start();
            }
        }
    }

    void stopAll() {
        byName.values().forEach(ServiceCheck::stop);
        byName.clear();
    }
}
