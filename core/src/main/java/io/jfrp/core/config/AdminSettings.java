package io.jfrp.core.config;

/** The client's admin API (frp's webServer.*): where it listens, and basic-auth credentials if any. */
public record AdminSettings(String addr, int port, String user, String password) {

    public boolean authRequired() {
        return !user.isEmpty() || !password.isEmpty();
    }

    static AdminSettings read(ConfigSection s) {
        String addr = s.string("webServer.addr", "127.0.0.1");
        int port = s.port("webServer.port", 0, true);
        String user = s.string("webServer.user", "");
        String password = s.string("webServer.password", "");
        s.unsupported("webServer.tls.certFile", "");
        s.unsupported("webServer.tls.keyFile", "");
        s.unsupported("webServer.assetsDir", "");
        s.unsupported("webServer.pprofEnable", "");
        return port == 0 ? null : new AdminSettings(addr, port, user, password);
    }
}
