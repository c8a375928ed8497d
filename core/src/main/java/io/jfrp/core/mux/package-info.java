/**
 * Streams multiplexed over one channel with a credit window each, so a slow reader stalls only its
 * own stream. The relay between a socket and a stream lives here too, the same for both sides.
 */
package io.jfrp.core.mux;
