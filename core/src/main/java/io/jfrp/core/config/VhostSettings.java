package io.jfrp.core.config;

/**
 * The server's ports that route by name rather than by port: {@code tcpmuxHTTPConnectPort} (HTTP CONNECT
 * to a tcpmux proxy's domain; 0: none), {@code tcpmuxPassthrough} (the CONNECT request goes on to the
 * service, which answers it, instead of the server answering 200), and {@code subDomainHost} (a proxy's
 * {@code subdomain} is a name under it).
 */
public record VhostSettings(int tcpmuxHTTPConnectPort, boolean tcpmuxPassthrough, String subDomainHost) {

    public static final VhostSettings NONE = new VhostSettings(0, false, "");
    /** For {@code tcpmuxHTTPConnectPort} from code (tests): listen on a port the system picks. */
    public static final int ANY_PORT = -1;

    static VhostSettings read(ConfigSection s) {
        return new VhostSettings(s.port("tcpmuxHTTPConnectPort", 0, true), s.bool("tcpmuxPassthrough", false),
                s.string("subDomainHost", ""));
    }
}
