package io.jfrp.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.WarnStatus;
import io.jfrp.core.config.LogSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingTest {

    @Test
    void aLogFileThatCannotBeWrittenLeavesTheConsoleInPlace(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender(ConsoleLogConfigurator.APPENDER)).isNotNull();

        Logging.apply(new LogSettings(notADirectory.resolve("jfrps.log").toString(), "info", 3));

        assertThat(root.getAppender(ConsoleLogConfigurator.APPENDER)).isNotNull();
        assertThat(root.getAppender("file")).isNull();
    }

    @Test
    void logbackWarningsAndErrorsReachStderrAndItsNewsDoesNot() {
        LoggerContext ctx = new LoggerContext();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(out, true, StandardCharsets.UTF_8);
        ctx.getStatusManager().add(new WarnStatus("said before the listener", this));

        LogbackProblems.listen(ctx, err);
        ctx.getStatusManager().add(new InfoStatus("all is well", this));
        ctx.getStatusManager().add(new ErrorStatus("openFile(x,true) call failed.", this,
                new FileNotFoundException("x (Permission denied)")));

        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "logback WARN: said before the listener",
                "logback ERROR: openFile(x,true) call failed. java.io.FileNotFoundException: x (Permission denied)");
    }
}
