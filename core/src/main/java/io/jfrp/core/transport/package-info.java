/**
 * The carriers of a control channel: plain TCP, WebSocket (an HTTP upgrade at frp's path {@code /~!frp})
 * and QUIC. Each delivers an ordered byte stream; TLS, frames and the session sit above it unchanged.
 */
package io.jfrp.core.transport;
