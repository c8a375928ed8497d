package io.jfrp.core.resilience;

import io.jfrp.core.config.ReconnectSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReconnectPolicyTest {

    private final ReconnectSettings settings =
            new ReconnectSettings(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, 0.2);

    @Test
    void growsExponentiallyToTheCapWithoutJitterAtTheMidpoint() {
        ReconnectPolicy p = new ReconnectPolicy(settings, () -> 0.5);
        assertThat(p.nextDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(p.nextDelay()).isEqualTo(Duration.ofMillis(400));
        assertThat(p.nextDelay()).isEqualTo(Duration.ofMillis(800));
        for (int i = 0; i < 100; i++) {
            p.nextDelay();
        }
        assertThat(p.nextDelay()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void jitterSpreadsBothWays() {
        assertThat(new ReconnectPolicy(settings, () -> 0.0).nextDelay()).isEqualTo(Duration.ofMillis(160));
        assertThat(new ReconnectPolicy(settings, () -> 1.0).nextDelay()).isEqualTo(Duration.ofMillis(240));
    }

    @Test
    void resetStartsOver() {
        ReconnectPolicy p = new ReconnectPolicy(settings, () -> 0.5);
        p.nextDelay();
        p.nextDelay();
        p.reset();
        assertThat(p.failures()).isZero();
        assertThat(p.nextDelay()).isEqualTo(Duration.ofMillis(200));
    }
}
