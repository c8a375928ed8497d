/**
 * End-to-end suites: jfrps and jfrpc in one JVM on loopback, real sockets, bytes checked by
 * checksum; plus the architecture rules that keep the modules apart. The code is all under src/test.
 */
package io.jfrp.e2e;
