/**
 * jfrps: accepts control channels, checks each client's login proof, opens the ports its proxies
 * ask for, and routes every user connection to the owning client as a stream. Public: {@link io.jfrp.server.JfrpServer}.
 */
package io.jfrp.server;
