package io.jfrp.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import io.jfrp.core.config.LogSettings;
import org.slf4j.LoggerFactory;

/** Applies frp's log.to / log.level / log.maxDays (and jfrp's log.format) to Logback, replacing the console default. */
final class Logging {

    private Logging() {
    }

    static void apply(LogSettings s) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(s.level(), Level.INFO));
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        io.jfrp.core.log.LogLevel.install(l -> root.setLevel(Level.toLevel(l, Level.INFO)), s.level());
        if ("console".equals(s.to())) {
            if (s.json() && root.getAppender(ConsoleLogConfigurator.APPENDER) instanceof ConsoleAppender<ILoggingEvent> c) {
                c.stop();
                c.setEncoder(JsonLogLayout.encoder(ctx));
                c.start();
            }
            return;
        }
        LayoutWrappingEncoder<ILoggingEvent> enc = s.json() ? JsonLogLayout.encoder(ctx) : LogLineLayout.encoder(ctx);
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(ctx);
        file.setName("file");
        file.setFile(s.to());
        file.setEncoder(enc);
        TimeBasedRollingPolicy<ILoggingEvent> policy = new TimeBasedRollingPolicy<>();
        policy.setContext(ctx);
        policy.setParent(file);
        policy.setFileNamePattern(s.to() + ".%d{yyyy-MM-dd}");
        policy.setMaxHistory(s.maxDays());
        policy.start();
        file.setRollingPolicy(policy);
        file.start();
        if (!file.isStarted()) {
            // Logback has said why on stderr (LogbackProblems); losing every later line silently is worse
            // than logging to the console.
            LoggerFactory.getLogger("config").warn("log.to: cannot write {}; logging to the console instead", s.to());
            return;
        }
        Appender<ILoggingEvent> console = root.getAppender(ConsoleLogConfigurator.APPENDER);
        root.addAppender(file);
        if (console instanceof ConsoleAppender<ILoggingEvent>) {
            root.detachAppender(console);
        }
    }

    /**
     * A fatal error: logged, and written to the terminal too when the log goes to a file, so whoever
     * started the process sees why it stopped.
     */
    static void fatal(String program, LogSettings s, String message) {
        LoggerFactory.getLogger(program).error("{}", message);
        if (!"console".equals(s.to())) {
            System.err.println(program + ": " + message);
        }
    }
}
