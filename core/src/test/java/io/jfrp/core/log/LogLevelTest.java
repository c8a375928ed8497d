package io.jfrp.core.log;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogLevelTest {

    @Test
    void aLevelReachesTheInstalledBackendAndABadNameIsRefusedEscaped() {
        List<String> applied = new ArrayList<>();
        LogLevel.install(applied::add, "INFO");
        assertThat(LogLevel.current()).isEqualTo("info");
        assertThat(LogLevel.set(" Debug ")).contains("debug");
        assertThat(applied).containsExactly("debug");
        assertThat(LogLevel.current()).isEqualTo("debug");
        assertThatThrownBy(() -> LogLevel.set("loud\u001b[2J")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not one of").hasMessageNotContaining("\u001b");
        assertThat(applied).containsExactly("debug");
        assertThat(LogLevel.current()).isEqualTo("debug");
    }
}
