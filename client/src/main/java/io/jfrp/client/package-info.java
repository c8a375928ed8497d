/**
 * jfrpc: keeps one logged-in channel to the server (reconnecting with backoff when it drops),
 * registers the configured proxies, and dials the local service for each stream the server opens.
 */
package io.jfrp.client;
