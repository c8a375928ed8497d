package io.jfrp.e2e;

import io.jfrp.core.net.NettyTransport;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The suites meant to run on a given I/O really do (io_uring by default, epoll in the second run). */
class IoTransportTest {

    @Test
    void runsOnTheChosenIo() {
        // First: NettyTransport sets Netty's io_uring options before Netty's IoUring class loads.
        String actual = NettyTransport.preferredName();
        String wanted = System.getProperty("jfrp.io");
        String expected = wanted != null ? wanted
                : IoUring.isAvailable() ? "io_uring" : Epoll.isAvailable() ? "epoll" : "nio";
        assertThat(actual).isEqualTo(expected);
    }
}
