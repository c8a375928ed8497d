package io.jfrp.e2e;

import io.jfrp.core.net.NettyTransport;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The suites meant to run on a given I/O really do (epoll by default, NIO in the second run). */
class IoTransportTest {

    @Test
    void runsOnTheChosenIo() {
        String wanted = System.getProperty("jfrp.io");
        String expected = "io_uring".equals(wanted) && IoUring.isAvailable() ? "io_uring"
                : !"nio".equals(wanted) && Epoll.isAvailable() ? "epoll" : "nio";
        assertThat(NettyTransport.preferredName()).isEqualTo(expected);
    }
}
