/**
 * What happens to sessions, proxies and streams, as events one listener receives: the log writes them
 * today; metrics and the dashboard will hang on the same events.
 */
package io.jfrp.core.lifecycle;
