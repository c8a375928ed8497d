package io.jfrp.core.config;

/**
 * An admin web server (frp's webServer.*): where it listens, basic-auth credentials if any, and on the
 * server what else it serves: {@code /metrics} (frp's {@code enablePrometheus}, a top-level key) and a
 * thread dump at {@code /debug/pprof/} ({@code webServer.pprofEnable}).
 */
public record AdminSettings(String addr, int port, String user, String password, boolean prometheus, boolean pprof) {

    public AdminSettings(String addr, int port, String user, String password) {
        this(addr, port, user, password, false, false);
    }

    public boolean authRequired() {
        return !user.isEmpty() || !password.isEmpty();
    }

    /** The client's admin API. */
    static AdminSettings read(ConfigSection s) {
        return read(s, false);
    }

    /** @param server whether this is jfrps's web server, which also serves metrics and thread dumps */
    static AdminSettings read(ConfigSection s, boolean server) {
        String addr = s.string("webServer.addr", "127.0.0.1");
        int port = s.port("webServer.port", 0, true);
        String user = s.string("webServer.user", "");
        String password = s.string("webServer.password", "");
        s.unsupported("webServer.tls.certFile", "");
        s.unsupported("webServer.tls.keyFile", "");
        s.unsupported("webServer.assetsDir", "");
        boolean prometheus = false;
        boolean pprof = false;
        if (server) {
            prometheus = s.bool("enablePrometheus", false);
            pprof = s.bool("webServer.pprofEnable", false);
        } else {
            s.unsupported("webServer.pprofEnable", "");
        }
        return port == 0 ? null : new AdminSettings(addr, port, user, password, prometheus, pprof);
    }
}
