package io.jfrp.client;

import io.jfrp.core.config.ProxyConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the client knows of each proxy: pending, running on a port, or refused and why. Thread-safe. */
final class ProxyTable {

    private final Map<String, ClientStatus.Proxy> entries = new LinkedHashMap<>();

    ProxyTable(List<ProxyConfig> proxies) {
        for (ProxyConfig p : proxies) {
            entries.put(p.name(), new ClientStatus.Proxy(p.name(), ProxyState.PENDING, 0, ""));
        }
    }

    /** After a reload: the proxies of {@code now}, the kept ones as they were, the new ones pending. */
    synchronized void sync(java.util.Collection<ProxyConfig> now, java.util.Collection<ProxyConfig> restarted) {
        Map<String, ClientStatus.Proxy> next = new LinkedHashMap<>();
        for (ProxyConfig p : now) {
            ClientStatus.Proxy was = entries.get(p.name());
            boolean fresh = was == null || restarted.stream().anyMatch(r -> r.name().equals(p.name()));
            next.put(p.name(), fresh ? new ClientStatus.Proxy(p.name(), ProxyState.PENDING, 0, "") : was);
        }
        entries.clear();
        entries.putAll(next);
    }

    /** A new channel: every proxy waits for the server's answer again, but one whose service fails its check. */
    synchronized void pendingAll() {
        entries.replaceAll((k, v) -> v.state() == ProxyState.CHECK_FAILED ? v
                : new ClientStatus.Proxy(k, ProxyState.PENDING, 0, v.lastError()));
    }

    synchronized void pending(String name) {
        entries.computeIfPresent(name, (k, v) -> new ClientStatus.Proxy(k, ProxyState.PENDING, 0, ""));
    }

    synchronized void checkFailed(String name, String error) {
        entries.computeIfPresent(name, (k, v) -> new ClientStatus.Proxy(k, ProxyState.CHECK_FAILED, 0, error));
    }

    synchronized void running(String name, int port) {
        entries.computeIfPresent(name, (k, v) -> new ClientStatus.Proxy(k, ProxyState.RUNNING, port, ""));
    }

    synchronized void refused(String name, String error) {
        entries.computeIfPresent(name, (k, v) -> new ClientStatus.Proxy(k, ProxyState.REFUSED, 0, error));
    }

    synchronized void error(String name, String error) {
        entries.computeIfPresent(name, (k, v) -> new ClientStatus.Proxy(k, v.state(), v.remotePort(), error));
    }

    /** The port the server gave {@code name}, or 0. */
    synchronized int remotePort(String name) {
        ClientStatus.Proxy p = entries.get(name);
        return p == null ? 0 : p.remotePort();
    }

    synchronized List<ClientStatus.Proxy> snapshot() {
        return new ArrayList<>(entries.values());
    }
}
