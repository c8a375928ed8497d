/**
 * Config centres: documents a client (its proxies) or a server (its users) takes from a store beside its
 * file, kept current by a watch, with a local copy to run on while the store is down.
 */
package io.jfrp.core.centre;
