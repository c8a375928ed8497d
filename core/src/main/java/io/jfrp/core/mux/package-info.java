/**
 * Streams multiplexed over one channel with a credit window each, so a slow reader stalls only its
 * own stream; windows tuned from round trips, and what streams hold bounded per session and per process
 * ({@link io.jfrp.core.mux.MemoryBudget}). The relay between a socket and a stream lives here too.
 */
package io.jfrp.core.mux;
