/**
 * TLS for the control channel: contexts for both sides (BoringSSL when it loads, the JDK otherwise),
 * the server's self-signed certificate made on first start, and SHA-256 fingerprints for pinning.
 */
package io.jfrp.core.tls;
