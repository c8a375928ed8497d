package io.jfrp.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jfrp.core.lifecycle.LifecycleEvent;
import io.jfrp.core.log.LogLimiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What a client chose (its host name, its proxies' names) reaches the server's log escaped: it forges no line. */
class SessionLogTest {

    // SessionLog writes under ClientSession's name, as the lines always were.
    private final Logger logger = (Logger) LoggerFactory.getLogger(ClientSession.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void aNewlineInAHostNameOrAProxyNameAppearsEscaped() {
        SessionLog log = new SessionLog("0.0.0.0", new LogLimiter(Duration.ofSeconds(60)));
        log.on(new LifecycleEvent.SessionEstablished("run-1", "/127.0.0.1:5000", "evil\n2026-12-07 INFO forged", "u\r\nx"));
        log.on(new LifecycleEvent.StreamRefused("run-1", "web\nINFO forged", "/127.0.0.1:6000", "no\nway"));

        assertThat(lines.list).hasSize(2);
        for (ILoggingEvent e : lines.list) {
            assertThat(e.getFormattedMessage()).doesNotContain("\n").doesNotContain("\r");
        }
        assertThat(lines.list.get(0).getFormattedMessage()).contains("evil\\n2026-12-07 INFO forged", "u\\r\\nx");
        assertThat(lines.list.get(1).getFormattedMessage()).contains("web\\nINFO forged", "no\\nway");
    }
}
