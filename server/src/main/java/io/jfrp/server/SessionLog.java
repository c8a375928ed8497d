package io.jfrp.server;

import io.jfrp.core.lifecycle.LifecycleEvent;
import io.jfrp.core.lifecycle.LifecycleListener;
import io.jfrp.core.log.LogLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.util.function.BooleanSupplier;

import static io.jfrp.core.log.PeerText.escape;

/**
 * The server's log of sessions, proxies and streams: one line per change, written from the same events
 * metrics will count. What a client chose (host and proxy names, reasons) is escaped; refusals of user
 * connections, which a stranger can cause by the thousand, go through the peer-problem limiter.
 */
final class SessionLog implements LifecycleListener {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final String bindAddr;
    private final LogLimiter peerProblems;
    /**
     * True once the server stops: each session's and proxy's end is then a debug line, and the server
     * says once how many ended (10,000 clients made 30,000 lines of one fact).
     */
    private final BooleanSupplier stopping;

    SessionLog(String bindAddr, LogLimiter peerProblems) {
        this(bindAddr, peerProblems, () -> false);
    }

    SessionLog(String bindAddr, LogLimiter peerProblems, BooleanSupplier stopping) {
        this.bindAddr = bindAddr;
        this.peerProblems = peerProblems;
        this.stopping = stopping;
    }

    @Override
    public void on(LifecycleEvent event) {
        if (event instanceof LifecycleEvent.SessionEstablished e) {
            log.info("client {} logged in from {} (host {}{})", e.session(),
                    e.peer(), escape(e.host()), e.user().isEmpty() ? "" : ", user " + escape(e.user()));
        } else if (event instanceof LifecycleEvent.SessionResumed e && e.joined() && e.replacedPeer() != null) {
            log.info("client {} moved to a channel from {} (host {}); its channel from {} carries the streams it has "
                    + "until they end", e.session(), e.peer(), escape(e.host()), e.replacedPeer());
        } else if (event instanceof LifecycleEvent.SessionResumed e) {
            log.info("client {} resumed from {} (host {}){}: {} kept, {} user "
                            + "connections waiting", e.session(), e.peer(), escape(e.host()),
                    e.replacedPeer() == null ? "" : ", replacing its channel from " + e.replacedPeer(),
                    proxies(e.proxiesKept()), e.usersWaiting());
        } else if (event instanceof LifecycleEvent.SessionLost e) {
            log.info("client {} from {}: channel lost ({}); keeping its {} for {} ms, {}",
                    e.session(), e.peer(), escape(e.reason()), proxies(e.proxiesKept()), e.grace().toMillis(),
                    e.usersHeld() ? "holding users who connect meanwhile" : "refusing users until it is back");
        } else if (event instanceof LifecycleEvent.SessionClosed e) {
            log.atLevel(ends()).log("client {} session ended ({}); closed {}", e.session(),
                    escape(e.reason()), proxies(e.proxiesClosed()));
        } else if (event instanceof LifecycleEvent.ProxyOpened e) {
            if (e.type().routedByName()) {
                log.info("proxy {} of client {}: {} routed by name on port {}", escape(e.proxy()), e.session(), e.type(),
                        e.port());
            } else {
                log.info("proxy {} of client {}: {} listening on {}:{}",
                        escape(e.proxy()), e.session(), e.type(), bindAddr, e.port());
            }
        } else if (event instanceof LifecycleEvent.ProxyRefused e) {
            // Clients ask again for a refused proxy (up to every 30 s): the first refusal, then a summary.
            String suffix = peerProblems.admit("proxy-refused " + e.session() + " " + e.proxy());
            if (suffix != null) {
                log.warn("proxy {} of client {} refused: {}{}", escape(e.proxy()), e.session(), escape(e.reason()), suffix);
            }
        } else if (event instanceof LifecycleEvent.ProxyClosed e) {
            log.atLevel(ends()).log("proxy {} of client {}: port {} closed ({})", escape(e.proxy()),
                    e.session(), e.port(), e.reason());
        } else if (event instanceof LifecycleEvent.StreamRefused e) {
            String suffix = peerProblems.admit("refused " + e.proxy());
            if (suffix != null) {
                log.warn("proxy {} of client {}: user connection from {} closed: {}{}", escape(e.proxy()),
                        e.session(), e.userAddress(), escape(e.reason()), suffix);
            }
        } else if (event instanceof LifecycleEvent.StreamOpened e) {
            log.debug("proxy {} of client {}: stream {} opened for {}",
                    escape(e.proxy()), e.session(), e.streamId(), e.userAddress());
        } else if (event instanceof LifecycleEvent.StreamClosed e) {
            log.debug("proxy {} of client {}: stream {} {} ({} bytes in, {} out)",
                    escape(e.proxy()), e.session(), e.streamId(), e.broken() ? "broken" : "closed", e.bytesIn(),
                    e.bytesOut());
        }
    }

    /** The level of a session's or a proxy's end. */
    private Level ends() {
        return stopping.getAsBoolean() ? Level.DEBUG : Level.INFO;
    }

    private static String proxies(int n) {
        return n + (n == 1 ? " proxy" : " proxies");
    }
}
