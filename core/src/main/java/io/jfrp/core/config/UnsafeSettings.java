package io.jfrp.core.config;

/**
 * Settings that work but leave a door open, named as warnings in {@code verify} and at start: no token,
 * an API reachable from other hosts without a password, a tunnel in the clear across a network. jfrp
 * does not refuse them (frp's configs must keep loading), it says what each one exposes.
 */
final class UnsafeSettings {

    private UnsafeSettings() {
    }

    static void server(ConfigSection s, String token, boolean users, AdminSettings web) {
        // With [[users]] and no auth.token, only the users' tokens let anyone in.
        if (token.isEmpty() && !users) {
            s.warn("auth.token", "empty: any client that reaches the bind port can log in and open ports; set a token");
        }
        webServer(s, web, "clients, proxies and traffic");
    }

    static void client(ConfigSection s, String token, ClientTls tls, String serverAddr, AdminSettings admin) {
        if (token.isEmpty()) {
            s.warn("auth.token", "empty: the server must then let in clients without a token, which lets anyone who "
                    + "reaches it open ports; set the same token on both sides");
        }
        if (!tls.enable() && !loopback(serverAddr)) {
            s.warn("transport.tls.enable", "false with a server across the network (" + serverAddr + "): the "
                    + "tunnel's bytes travel in the clear");
        }
        // frp's default serverAddr 0.0.0.0 dials this host, as loopback does.
        if (tls.unverified() && !loopback(serverAddr) && !serverAddr.trim().equals("0.0.0.0")) {
            s.warn("transport.tls", "the server's certificate is neither pinned nor signed by a CA you trust, so "
                    + "anyone between this client and " + serverAddr + " can pose as the server; set "
                    + "transport.tls.serverFingerprint (jfrps logs it), transport.tls.trustedCaFile, or "
                    + "transport.tls.trustOnFirstUse = true (the first certificate seen is kept and required)");
        }
        webServer(s, admin, "this client's proxies and its reload and stop actions");
    }

    private static void webServer(ConfigSection s, AdminSettings web, String what) {
        if (web != null && !web.authRequired() && !loopback(web.addr())) {
            s.warn("webServer.addr", "\"" + web.addr() + "\" without webServer.user and webServer.password: anyone who "
                    + "reaches port " + web.port() + " sees " + what + "; set a password or listen on 127.0.0.1");
        }
    }

    static boolean loopback(String addr) {
        String a = addr.trim().toLowerCase(java.util.Locale.ROOT);
        return a.equals("localhost") || a.startsWith("127.") || a.equals("::1") || a.equals("[::1]");
    }
}
