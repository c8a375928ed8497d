package io.jfrp.core.config;

import java.util.List;

/**
 * The names a proxy that binds no port of its own (http, tcpmux) answers to on the server's shared port:
 * {@code customDomains} (a leading {@code *.} takes every name under it), {@code subdomain} under the
 * server's {@code subDomainHost}, {@code locations} (path prefixes, the longest wins; http only), the
 * credentials a user must present ({@code httpUser}/{@code httpPassword}), and {@code routeByHTTPUser}
 * (this proxy takes only that user's requests for its names; one without takes the rest).
 */
public record DomainRouting(List<String> customDomains, String subdomain, List<String> locations, String httpUser,
                            String httpPassword, String routeByHTTPUser) {

    public DomainRouting {
        customDomains = List.copyOf(customDomains);
        locations = List.copyOf(locations);
    }

    public static DomainRouting of(List<String> customDomains, String subdomain) {
        return new DomainRouting(customDomains, subdomain, List.of(), "", "", "");
    }

    public DomainRouting withLocations(List<String> l) {
        return new DomainRouting(customDomains, subdomain, l, httpUser, httpPassword, routeByHTTPUser);
    }

    public DomainRouting withCredentials(String user, String password) {
        return new DomainRouting(customDomains, subdomain, locations, user, password, routeByHTTPUser);
    }

    public DomainRouting routedByUser(String user) {
        return new DomainRouting(customDomains, subdomain, locations, httpUser, httpPassword, user);
    }
}
