package io.jfrp.core.resilience;

import io.jfrp.core.config.ReconnectSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReconnectPolicyTest {

    private final ReconnectSettings settings =
            new ReconnectSettings(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, 0.2, 30);
    private static final Duration EARLY = Duration.ofSeconds(1);
    private static final Duration LATE = Duration.ofMinutes(1);

    @Test
    void theFirstRetryComesWithinASecondAndTheFastPhaseCapsAtOne() {
        ReconnectPolicy p = new ReconnectPolicy(settings, () -> 0.5);
        assertThat(p.nextDelay(EARLY)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.nextDelay(EARLY)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.nextDelay(EARLY)).isEqualTo(Duration.ofMillis(800));
        assertThat(p.nextDelay(EARLY)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.nextDelay(EARLY)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void afterTheFastPhaseItGrowsToTheConfiguredCap() {
        ReconnectPolicy p = new ReconnectPolicy(settings, () -> 0.5);
        for (int i = 0; i < 5; i++) {
            p.nextDelay(EARLY);
        }
        assertThat(p.nextDelay(LATE)).isEqualTo(Duration.ofMillis(6400));
        assertThat(p.nextDelay(LATE)).isEqualTo(Duration.ofSeconds(10));
        for (int i = 0; i < 100; i++) {
            p.nextDelay(LATE);
        }
        assertThat(p.nextDelay(LATE)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.maxDelay()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void jitterSpreadsBothWays() {
        assertThat(new ReconnectPolicy(settings, () -> 0.0).nextDelay(EARLY)).isEqualTo(Duration.ofMillis(160));
        assertThat(new ReconnectPolicy(settings, () -> 1.0).nextDelay(EARLY)).isEqualTo(Duration.ofMillis(240));
    }

    @Test
    void resetStartsOver() {
        ReconnectPolicy p = new ReconnectPolicy(settings, () -> 0.5);
        p.nextDelay(EARLY);
        p.nextDelay(EARLY);
        p.reset();
        assertThat(p.failures()).isZero();
        assertThat(p.nextDelay(EARLY)).isEqualTo(Duration.ofMillis(200));
    }
}
