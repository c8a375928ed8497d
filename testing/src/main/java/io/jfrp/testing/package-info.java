/**
 * Test support shared by every module: a leak check that fails tests on Netty buffer leaks,
 * loopback echo and sink servers, and helpers that move random bytes and compare checksums.
 */
package io.jfrp.testing;
