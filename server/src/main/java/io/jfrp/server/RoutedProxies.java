package io.jfrp.server;

import io.jfrp.core.config.ProxyType;
import io.jfrp.core.lifecycle.LifecycleEvent;
import io.jfrp.protocol.Message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The proxies of one client session that are routed by name (http, https, tcpmux): the names each holds
 * in its port's {@link DomainRoutes}, claimed when it is opened and released when it closes. Part of
 * {@link ProxyPorts}, whose answers it gives; runs on the session's event loop.
 */
final class RoutedProxies {

    private final ServerRuntime rt;
    private final ClientSession session;
    private final ProxyPorts ports;
    private final Map<String, RoutedNames> routed = new LinkedHashMap<>();

    /** What a proxy routed by name holds: its domains and locations, for which HTTP user ("" for any), where. */
    private record RoutedNames(DomainRoutes table, List<String> domains, List<String> locations, String routeUser,
                               DomainRoutes.Route route, int port, String group, String groupKey) {
        void release(ClientSession session, String name) {
            table.release(domains, locations, routeUser, session, name);
        }

        String claim() {
            return table.claim(domains, locations, routeUser, route, group, groupKey);
        }
    }

    RoutedProxies(ServerRuntime rt, ClientSession session, ProxyPorts ports) {
        this.rt = rt;
        this.session = session;
        this.ports = ports;
    }

    int size() {
        return routed.size();
    }

    Set<String> names() {
        return routed.keySet();
    }

    /**
     * A tcpmux or http proxy binds no port: its names route CONNECTs on the server's tcpmuxHTTPConnectPort,
     * or requests on its vhostHTTPPort, to it. The same client asking again (after a reconnect) keeps them.
     */
    void open(ClientPeer client, ProxyRequest req, String name) {
        boolean http = req.type() == ProxyType.HTTP;
        int port;
        DomainRoutes table;
        String portKey;
        if (http) {
            port = rt.httpPort;
            table = rt.httpRoutes;
            portKey = "http proxies are not enabled on this server (vhostHTTPPort)";
        } else if (req.type() == ProxyType.HTTPS) {
            port = rt.httpsPort;
            table = rt.httpsRoutes;
            portKey = "https proxies are not enabled on this server (vhostHTTPSPort)";
        } else {
            port = rt.tcpmuxPort;
            table = rt.tcpmuxRoutes;
            portKey = "tcpmux is not enabled on this server (tcpmuxHTTPConnectPort)";
        }
        if (port == 0) {
            ports.refuse(client, req, ProxyRefusal.TYPE_NOT_SERVED, portKey);
            return;
        }
        List<String> domains = new ArrayList<>(req.customDomains());
        if (!req.subdomain().isEmpty()) {
            String host = rt.config.vhost().subDomainHost();
            if (host.isEmpty()) {
                ports.refuse(client, req, ProxyRefusal.INTERNAL, "subdomain " + req.subdomain()
                        + " needs subDomainHost on the server, which is not set");
                return;
            }
            domains.add(req.subdomain() + "." + host);
        }
        String bad = http ? HttpEditsCheck.problem(req) : null;
        if (bad != null) {
            ports.refuse(client, req, ProxyRefusal.INTERNAL, bad);
            return;
        }
        String locationText = req.option(Message.NewProxy.LOCATIONS);
        List<String> locations = locationText.isEmpty() ? List.of() : List.of(locationText.split("\n"));
        RoutedNames was = routed.get(name);
        if (was == null) {
            ClientSession owner = rt.registry.claimName(name, session);
            if (owner != null) {
                ports.refuseTakenName(client, req, name, owner);
                return;
            }
        }
        String routeUser = req.option(Message.NewProxy.ROUTE_BY_HTTP_USER);
        HttpEdits edits = http ? new HttpEdits(req.option(Message.NewProxy.HOST_HEADER_REWRITE),
                req.optionsUnder(Message.NewProxy.REQUEST_HEADER), req.optionsUnder(Message.NewProxy.RESPONSE_HEADER))
                : HttpEdits.NONE;
        RoutedNames now = new RoutedNames(table, domains, locations, routeUser, new DomainRoutes.Route(session, name,
                req.option(Message.NewProxy.HTTP_USER), req.option(Message.NewProxy.HTTP_PASSWORD), edits), port,
                req.option(Message.NewProxy.GROUP), req.option(Message.NewProxy.GROUP_KEY));
        if (was != null) {
            // Asked again (a reconnect, or a reload that changed it): its names now are what it asks for now.
            was.release(session, name);
        }
        String taken = now.claim();
        if (taken != null) {
            if (was == null) {
                rt.registry.releaseName(name, session);
            } else {
                was.claim();
            }
            ports.refuse(client, req, ProxyRefusal.NAME_IN_USE, taken);
            return;
        }
        routed.put(name, now);
        if (was == null) {
            rt.events.on(new LifecycleEvent.ProxyOpened(session.runId, name, req.type(), port, req.annotations()));
        }
        client.proxyOpened(req.name(), port);
    }

    /** @return whether {@code name} was one of these */
    boolean close(String name, String why) {
        RoutedNames names = routed.remove(name);
        if (names == null) {
            return false;
        }
        names.release(session, name);
        rt.registry.releaseName(name, session);
        rt.events.on(new LifecycleEvent.ProxyClosed(session.runId, name, names.port(), why));
        return true;
    }

    void closeAll(String why) {
        for (Map.Entry<String, RoutedNames> e : routed.entrySet()) {
            e.getValue().release(session, e.getKey());
            rt.registry.releaseName(e.getKey(), session);
            rt.events.on(new LifecycleEvent.ProxyClosed(session.runId, e.getKey(), e.getValue().port(), why));
        }
        routed.clear();
    }
}
