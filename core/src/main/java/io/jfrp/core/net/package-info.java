/**
 * The socket layer: io_uring or epoll on Linux, NIO elsewhere, and the socket options every channel of
 * the data path gets (no Nagle, half-close allowed, large backlog).
 */
package io.jfrp.core.net;
