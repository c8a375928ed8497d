/**
 * What the client's admin API and the server's web server share: one small JDK HTTP server with frp's
 * basic auth, and JSON written with Jackson's streaming generator.
 */
package io.jfrp.core.admin;
