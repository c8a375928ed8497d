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

    /** A server that stops says so once (JfrpServer); each session's and proxy's end is then a debug line. */
    @Test
    void whileTheServerStopsEndsAreDebugLinesOnly() {
        ch.qos.logback.classic.Level was = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            endsWhileStopping();
        } finally {
            logger.setLevel(was);
        }
    }

    private void endsWhileStopping() {
        boolean[] stopping = {false};
        SessionLog log = new SessionLog("0.0.0.0", new LogLimiter(Duration.ofSeconds(60)), () -> stopping[0]);
        log.on(new LifecycleEvent.ProxyClosed("run-1", "web", 8080, "reload"));
        log.on(new LifecycleEvent.SessionClosed("run-1", "revoked", 1));
        stopping[0] = true;
        log.on(new LifecycleEvent.ProxyClosed("run-2", "ssh", 2222, "the server is stopping"));
        log.on(new LifecycleEvent.SessionClosed("run-2", "the server is stopping", 1));

        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(ch.qos.logback.classic.Level.INFO,
                ch.qos.logback.classic.Level.INFO, ch.qos.logback.classic.Level.DEBUG, ch.qos.logback.classic.Level.DEBUG);
    }
}
