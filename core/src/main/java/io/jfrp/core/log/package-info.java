/**
 * Logging that an operator can act on: the same failure repeated is logged once, then summarised,
 * never flooded.
 */
package io.jfrp.core.log;
