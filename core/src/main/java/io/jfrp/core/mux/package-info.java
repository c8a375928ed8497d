/**
 * A session's streams, multiplexed with a credit window each over whichever channel carries them
 * ({@link io.jfrp.core.mux.Carrier}), so a slow reader stalls only its own stream; windows tuned from
 * round trips, and what streams hold bounded per session and per process. The relay between a socket
 * and a stream lives here too.
 */
package io.jfrp.core.mux;
