/**
 * jfrp's wire format: the preface, length-prefixed frames, one record per message, and the login proof.
 * Nothing here opens a socket; see docs/protocol.md for the byte layout.
 */
package io.jfrp.protocol;
