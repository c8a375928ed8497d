package io.jfrp.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The default log set-up (console, INFO, Netty at WARN) in code rather than a logback.xml: parsing XML
 * loads Logback's Joran and the JDK's XML parser, some 400 classes and several MB of a process that
 * should stay small. {@link Logging} then applies log.* from the config file. An operator's own
 * logback.xml (or -Dlogback.configurationFile) still wins: this steps aside when one is present.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {

    static final String APPENDER = "console";

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        ClassLoader cl = ConsoleLogConfigurator.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null
                || cl.getResource("logback-test.xml") != null || cl.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LogbackProblems.listen(ctx, System.err);
        LayoutWrappingEncoder<ILoggingEvent> enc = LogLineLayout.encoder(ctx);
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName(APPENDER);
        console.setEncoder(enc);
        console.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
