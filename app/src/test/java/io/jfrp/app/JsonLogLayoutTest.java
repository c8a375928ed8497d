package io.jfrp.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLogLayoutTest {

    @Test
    void eachLineIsOneObjectAndAPeersTextCannotBreakIt() throws Exception {
        LoggerContext ctx = new LoggerContext();
        JsonLogLayout layout = new JsonLogLayout();
        layout.setContext(ctx);
        layout.start();
        LoggingEvent e = new LoggingEvent("x", ctx.getLogger("io.jfrp.server.LoginHandler"), Level.WARN,
                "login refused for {}: \"evil\"\n{\"level\":\"INFO\"}", new IllegalStateException("boom"),
                new Object[]{"host\u0000"});
        String line = layout.doLayout(e);
        assertThat(line.strip().lines()).hasSize(1);
        Map<String, String> fields = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(line)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                fields.put(name, p.getText());
            }
            assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
        }
        assertThat(fields).containsEntry("level", "WARN").containsEntry("logger", "LoginHandler")
                .containsEntry("message", "login refused for host\u0000: \"evil\"\n{\"level\":\"INFO\"}");
        assertThat(fields.get("stack")).contains("IllegalStateException: boom");
        assertThat(fields.get("time")).endsWith("Z");
    }
}
