package io.jfrp.server;

/** Why the server does not open a proxy a client asked for. */
enum ProxyRefusal {
    TYPE_NOT_SERVED,
    NAME_IN_USE,
    PORT_NOT_ALLOWED,
    TOO_MANY_PORTS,
    PORT_IN_USE,
    /** A name no proxy may have here (ProxyRequest#nameProblem). */
    BAD_NAME,
    INTERNAL
}
