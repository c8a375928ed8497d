/**
 * frp's client plugins: what ends a proxy's streams in the client instead of a plain connection to the
 * service (TLS ended, HTTP requests edited, a unix socket). Each plugin listens on a private unix socket
 * that the client's stream dialer connects to, so a stream's local end is a socket like any other.
 */
package io.jfrp.client.plugin;
