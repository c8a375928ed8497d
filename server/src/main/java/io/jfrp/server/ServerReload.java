package io.jfrp.server;

import io.jfrp.core.config.LogSettings;
import io.jfrp.core.config.ServerConfig;
import io.jfrp.core.config.VhostSettings;
import io.jfrp.core.log.LogLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A new config for a running server (frp has none: its #1145). What can change while clients are
 * connected changes at once: tokens and users, allowPorts and port limits, timeouts, grace, the log
 * level, the vhost settings that are not ports. Sessions go on unless the new config forbids them: a
 * login it no longer accepts ends its session, and a proxy beyond the new ports ends alone; each client
 * hears why. What needs its sockets made again (bind addresses and ports, TLS, the web server, the
 * data directory, the log file) keeps its old value and is named, to be applied by a restart.
 */
final class ServerReload {

    private static final Logger log = LoggerFactory.getLogger("jfrps");

    /** What a reload changed, and what it could not. */
    record Outcome(List<String> applied, List<String> needsRestart, int sessionsClosed, int proxiesClosed) {
        String summary() {
            StringBuilder b = new StringBuilder(applied.isEmpty() ? "nothing changed"
                    : "applied " + String.join(", ", applied));
            if (sessionsClosed > 0 || proxiesClosed > 0) {
                b.append("; closed ").append(sessionsClosed).append(" session(s) and ").append(proxiesClosed)
                        .append(" proxy(ies) the new config forbids");
            }
            if (!needsRestart.isEmpty()) {
                b.append("; not applied until jfrps restarts: ").append(String.join(", ", needsRestart));
            }
            return b.toString();
        }
    }

    private ServerReload() {
    }

    static Outcome apply(ServerRuntime rt, ServerConfig next) {
        ServerConfig was = rt.config;
        List<String> restart = new ArrayList<>();
        ServerConfig now = keepFixed(was, next, restart);
        List<String> applied = changed(was, now);
        boolean tokenChanged = !was.authToken().equals(now.authToken());
        rt.users.reload(now);
        rt.config = now;
        if (!was.log().level().equalsIgnoreCase(now.log().level())) {
            LogLevel.set(now.log().level());
        }
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (ClientSession s : rt.registry.sessions()) {
            String revoked = revocation(rt, s, tokenChanged);
            CompletableFuture<Integer> r = new CompletableFuture<>();
            results.add(r);
            s.onLoop(() -> r.complete(s.reloaded(revoked)));
        }
        int sessions = 0;
        int proxies = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (CompletableFuture<Integer> r : results) {
            try {
                int n = r.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (n < 0) {
                    sessions++;
                } else {
                    proxies += n;
                }
            } catch (Exception e) {
                // A loop that did not answer within 5 s: it applies the change when it gets to it.
            }
        }
        Outcome o = new Outcome(applied, restart, sessions, proxies);
        log.info("config reloaded: {}", o.summary());
        return o;
    }

    /** Why the new config no longer accepts {@code s}'s login; null when it does. */
    private static String revocation(ServerRuntime rt, ClientSession s, boolean tokenChanged) {
        UserAccounts.Account now = s.user.isEmpty() ? null : rt.users.find(s.user);
        if (s.account != null) {
            if (now == s.account) {
                return null;
            }
            return now == null ? "user " + s.user + " is no longer a user of this server (its config was reloaded)"
                    : "the token of user " + s.user + " changed on the server (its config was reloaded)";
        }
        if (now != null) {
            return "user " + s.user + " has a token of its own on this server now (its config was reloaded)";
        }
        if (rt.config.authToken().isEmpty() && !rt.users.isEmpty()) {
            return "this server takes only its [[users]] now (its config was reloaded)";
        }
        return tokenChanged ? "the server's auth.token changed (its config was reloaded)" : null;
    }

    /** {@code next} with the settings that need a restart taken from {@code was}; each one that differed is named. */
    private static ServerConfig keepFixed(ServerConfig was, ServerConfig next, List<String> restart) {
        fixed(restart, "bindAddr/bindPort", was.bindAddr() + ":" + was.bindPort(), next.bindAddr() + ":" + next.bindPort());
        fixed(restart, "proxyBindAddr", was.proxyBindAddr(), next.proxyBindAddr());
        fixed(restart, "transport.tls", was.tls(), next.tls());
        fixed(restart, "webServer", was.webServer(), next.webServer());
        fixed(restart, "quicBindPort", was.quicBindPort(), next.quicBindPort());
        fixed(restart, "kcpBindPort", was.kcpBindPort(), next.kcpBindPort());
        fixed(restart, "vhostHTTPPort", was.vhost().vhostHTTPPort(), next.vhost().vhostHTTPPort());
        fixed(restart, "vhostHTTPSPort", was.vhost().vhostHTTPSPort(), next.vhost().vhostHTTPSPort());
        fixed(restart, "tcpmuxHTTPConnectPort", was.vhost().tcpmuxHTTPConnectPort(), next.vhost().tcpmuxHTTPConnectPort());
        fixed(restart, "configSource.etcd", was.configSource(), next.configSource());
        fixed(restart, "log.to/log.maxDays/log.format", was.log().to() + "/" + was.log().maxDays() + "/" + was.log().json(),
                next.log().to() + "/" + next.log().maxDays() + "/" + next.log().json());
        VhostSettings v = next.vhost();
        VhostSettings vhost = new VhostSettings(was.vhost().vhostHTTPPort(), v.vhostHTTPTimeout(), v.custom404Page(),
                v.serviceErrorStatus(), was.vhost().vhostHTTPSPort(), was.vhost().tcpmuxHTTPConnectPort(),
                v.tcpmuxPassthrough(), v.subDomainHost());
        LogSettings logs = new LogSettings(was.log().to(), next.log().level(), was.log().maxDays(), was.log().json());
        return new ServerConfig(next.source(), was.bindAddr(), was.bindPort(), was.proxyBindAddr(), next.authToken(),
                next.allowPorts(), next.maxPortsPerClient(), was.tls(), next.heartbeatTimeout(), next.userConnTimeout(),
                next.sessionGracePeriod(), logs, was.dataDir(), next.udp(), was.webServer(), vhost, was.quicBindPort(),
                was.kcpBindPort(), next.users(), was.configSource());
    }

    private static void fixed(List<String> restart, String key, Object was, Object next) {
        if (!Objects.equals(was, next)) {
            restart.add(key);
        }
    }

    /** The run-time settings that differ, by frp's key names; secrets are named, never shown. */
    private static List<String> changed(ServerConfig a, ServerConfig b) {
        List<String> out = new ArrayList<>();
        if (!a.authToken().equals(b.authToken())) {
            out.add("auth.token");
        }
        if (!a.users().equals(b.users())) {
            out.add("users");
        }
        if (!a.allowPorts().equals(b.allowPorts())) {
            out.add("allowPorts (" + (b.allowPorts().isAll() ? "all" : b.allowPorts()) + ")");
        }
        if (a.maxPortsPerClient() != b.maxPortsPerClient()) {
            out.add("maxPortsPerClient (" + b.maxPortsPerClient() + ")");
        }
        if (!a.heartbeatTimeout().equals(b.heartbeatTimeout())) {
            out.add("transport.heartbeatTimeout (for logins from now on)");
        }
        if (!a.userConnTimeout().equals(b.userConnTimeout())) {
            out.add("userConnTimeout");
        }
        if (!a.sessionGracePeriod().equals(b.sessionGracePeriod())) {
            out.add("sessionGracePeriod");
        }
        if (!a.log().level().equalsIgnoreCase(b.log().level())) {
            out.add("log.level (" + b.log().level() + ")");
        }
        if (!a.udp().equals(b.udp())) {
            out.add("udpPacketSize/udp idle timeout (for proxies opened from now on)");
        }
        if (!a.vhost().equals(b.vhost())) {
            out.add("vhost settings (" + (a.vhost().subDomainHost().equals(b.vhost().subDomainHost()) ? ""
                    : "subDomainHost for proxies registered from now on; ") + "timeouts and pages at once)");
        }
        return out;
    }
}
