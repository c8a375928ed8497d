package io.jfrp.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing by name, path and HTTP user, as frp's Routers: exact names first, then wildcards, then "*". */
class DomainRoutesTest {

    private static DomainRoutes.Route route(String proxy) {
        return new DomainRoutes.Route(null, proxy);
    }

    private static String proxy(DomainRoutes.Route r) {
        return r == null ? null : r.proxy();
    }

    @Test
    void theLongestLocationWinsAndAUsersRouteComesBeforeTheCatchAll() {
        DomainRoutes routes = new DomainRoutes();
        assertThat(routes.claim(List.of("a.example.com"), List.of("/", "/foo"), "", route("foo"))).isNull();
        assertThat(routes.claim(List.of("a.example.com"), List.of("/foo/bar"), "", route("bar"))).isNull();
        assertThat(routes.claim(List.of("a.example.com"), List.of("/"), "alice", route("alice"))).isNull();
        assertThat(proxy(routes.find("a.example.com", "/foo/bar/x", ""))).isEqualTo("bar");
        assertThat(proxy(routes.find("A.EXAMPLE.COM:80", "/foo/b", ""))).isEqualTo("foo");
        assertThat(proxy(routes.find("a.example.com", "/other", ""))).isEqualTo("foo");
        assertThat(proxy(routes.find("a.example.com", "/other", "alice"))).isEqualTo("alice");
        assertThat(proxy(routes.find("a.example.com", "/foo/bar", "alice")))
                .as("alice's routes are asked first, at any length").isEqualTo("alice");
        assertThat(proxy(routes.find("a.example.com", "/other", "bob"))).isEqualTo("foo");
    }

    @Test
    void wildcardsTakeNamesUnderThemButNeverATwoLabelName() {
        DomainRoutes routes = new DomainRoutes();
        routes.claim(List.of("*.example.com"), List.of(), "", route("wild"));
        routes.claim(List.of("*.com"), List.of(), "", route("tld"));
        assertThat(proxy(routes.find("x.y.example.com", "", ""))).isEqualTo("wild");
        assertThat(proxy(routes.find("example.com", "", ""))).as("frp never walks to *.com").isNull();
        routes.claim(List.of("*"), List.of(), "", route("any"));
        assertThat(proxy(routes.find("example.com", "", ""))).isEqualTo("any");
    }

    @Test
    void aNameAndPathBelongToOneProxyAndAreFreeAgainOnRelease() {
        DomainRoutes routes = new DomainRoutes();
        ClientSession owner = null;
        assertThat(routes.claim(List.of("a.example.com", "b.example.com"), List.of("/x"), "", route("one"))).isNull();
        assertThat(routes.claim(List.of("c.example.com", "b.example.com"), List.of("/x"), "", route("two")))
                .isEqualTo("router config conflict: domain b.example.com location /x is already routed to another proxy");
        assertThat(proxy(routes.find("c.example.com", "/x", ""))).as("a refused claim takes nothing").isNull();
        assertThat(routes.claim(List.of("b.example.com"), List.of("/y"), "", route("two"))).isNull();
        routes.release(List.of("a.example.com", "b.example.com"), List.of("/x"), "", owner, "one");
        assertThat(proxy(routes.find("b.example.com", "/x", ""))).isNull();
        assertThat(proxy(routes.find("b.example.com", "/y", ""))).isEqualTo("two");
        assertThat(routes.claim(List.of("b.example.com"), List.of("/x"), "", route("two"))).isNull();
    }

    @Test
    void aGroupSharesANameAndTakesItsMembersInTurnGivenItsKey() {
        DomainRoutes routes = new DomainRoutes();
        assertThat(routes.claim(List.of("a.example.com"), List.of(), "", route("foo"), "web", "k")).isNull();
        assertThat(routes.claim(List.of("a.example.com"), List.of(), "", route("bar"), "web", "k")).isNull();
        assertThat(routes.claim(List.of("a.example.com"), List.of(), "", route("eve"), "web", "guess"))
                .isEqualTo("load-balancing group web of domain a.example.com has another groupKey");
        assertThat(routes.claim(List.of("a.example.com"), List.of(), "", route("solo")))
                .isEqualTo("router config conflict: domain a.example.com is already routed to another proxy (of "
                        + "load-balancing group web)");
        List<String> taken = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            taken.add(proxy(routes.find("a.example.com", "/", "")));
        }
        assertThat(taken).containsExactlyInAnyOrder("foo", "bar", "foo", "bar");
        assertThat(taken.get(0)).isNotEqualTo(taken.get(1));

        routes.release(List.of("a.example.com"), List.of(), "", null, "foo");
        assertThat(proxy(routes.find("a.example.com", "/", ""))).isEqualTo("bar");
        routes.release(List.of("a.example.com"), List.of(), "", null, "bar");
        assertThat(proxy(routes.find("a.example.com", "/", ""))).as("the last member gone, the name is free").isNull();
        assertThat(routes.claim(List.of("a.example.com"), List.of(), "", route("solo"))).isNull();
    }
}
