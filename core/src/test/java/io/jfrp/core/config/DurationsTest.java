package io.jfrp.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {

    @Test
    void parsesFrpForms() {
        assertThat(Durations.parse(30L)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void refusesWhatIsNotADuration() {
        assertThat(Durations.parse("ten seconds")).isNull();
        assertThat(Durations.parse("5 s")).isNull();
        assertThat(Durations.parse("s")).isNull();
        assertThat(Durations.parse("")).isNull();
        assertThat(Durations.parse(true)).isNull();
    }

    @Test
    void formatsShort() {
        assertThat(Durations.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
    }
}
