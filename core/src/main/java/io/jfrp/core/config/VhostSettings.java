package io.jfrp.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's ports that route by name rather than by port: {@code vhostHTTPPort} (HTTP requests routed
 * by Host and path to http proxies; 0: none), {@code vhostHTTPTimeout} (how long a service may take to
 * start its response: 504 after), {@code custom404Page} (the page an unrouted request gets; null: jfrp's),
 * {@code vhostHTTPSPort} (TLS connections routed by their ClientHello's server name to https proxies,
 * still encrypted; 0: none), {@code tcpmuxHTTPConnectPort} (HTTP CONNECT to a tcpmux proxy's domain; 0: none),
 * {@code tcpmuxPassthrough} (the CONNECT request goes on to the service, which answers it, instead of the
 * server answering 200), and {@code subDomainHost} (a proxy's {@code subdomain} is a name under it).
 */
public record VhostSettings(int vhostHTTPPort, Duration vhostHTTPTimeout, String custom404Page, int serviceErrorStatus,
                            int vhostHTTPSPort, int tcpmuxHTTPConnectPort, boolean tcpmuxPassthrough,
                            String subDomainHost) {

    public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(60);
    public static final VhostSettings NONE = new VhostSettings(0, DEFAULT_HTTP_TIMEOUT, null, 404, 0, 0, false, "");
    /** For a port from code (tests): listen on a port the system picks. */
    public static final int ANY_PORT = -1;
    /** A custom 404 page is sent whole with every unrouted request: a larger file is a mistake. */
    static final int MAX_404_PAGE = 64 * 1024;

    public VhostSettings(int tcpmuxHTTPConnectPort, boolean tcpmuxPassthrough, String subDomainHost) {
        this(0, DEFAULT_HTTP_TIMEOUT, null, 404, 0, tcpmuxHTTPConnectPort, tcpmuxPassthrough, subDomainHost);
    }

    public VhostSettings withHttp(int port, Duration timeout) {
        return new VhostSettings(port, timeout, custom404Page, serviceErrorStatus, vhostHTTPSPort, tcpmuxHTTPConnectPort,
                tcpmuxPassthrough, subDomainHost);
    }

    public VhostSettings withHttps(int port) {
        return new VhostSettings(vhostHTTPPort, vhostHTTPTimeout, custom404Page, serviceErrorStatus, port,
                tcpmuxHTTPConnectPort, tcpmuxPassthrough, subDomainHost);
    }

    public VhostSettings withServiceErrorStatus(int status) {
        return new VhostSettings(vhostHTTPPort, vhostHTTPTimeout, custom404Page, status, vhostHTTPSPort,
                tcpmuxHTTPConnectPort, tcpmuxPassthrough, subDomainHost);
    }

    static VhostSettings read(ConfigSection s) {
        int httpPort = s.port("vhostHTTPPort", 0, true);
        Duration timeout = s.duration("vhostHTTPTimeout", DEFAULT_HTTP_TIMEOUT, Duration.ofSeconds(1), false);
        Path page = s.existingFile("custom404Page");
        String pageText = null;
        if (page != null) {
            try {
                if (Files.size(page) > MAX_404_PAGE) {
                    s.problem("custom404Page", s.node("custom404Page"), "the file " + page.toAbsolutePath() + " is over "
                            + MAX_404_PAGE / 1024 + " KiB (it is sent with every request no proxy takes)");
                } else {
                    pageText = Files.readString(page, StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                s.problem("custom404Page", s.node("custom404Page"), "cannot read " + page.toAbsolutePath() + ": " + e.getMessage());
            }
        }
        int errorStatus = (int) s.integer("vhostHTTPServiceErrorStatus", 404, 404, 503);
        if (errorStatus != 404 && errorStatus != 502 && errorStatus != 503) {
            s.problem("vhostHTTPServiceErrorStatus", s.node("vhostHTTPServiceErrorStatus"), errorStatus
                    + " (expected: 404 as frp answers, 502 or 503)");
        }
        return new VhostSettings(httpPort, timeout, pageText, errorStatus, s.port("vhostHTTPSPort", 0, true),
                s.port("tcpmuxHTTPConnectPort", 0, true),
                s.bool("tcpmuxPassthrough", false), s.string("subDomainHost", ""));
    }
}
