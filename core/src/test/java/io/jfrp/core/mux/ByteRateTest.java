package io.jfrp.core.mux;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token bucket of a bandwidth limit: a second's worth at once, then the debt of an oversized take paid in time. */
class ByteRateTest {

    @Test
    void aSecondsWorthGoesAtOnceAndADebtIsPaidAtTheRate() {
        ByteRate r = new ByteRate(1000);
        assertThat(r.available()).isTrue();
        assertThat(r.allowance()).isBetween(999L, 1000L);
        r.spend(900);
        assertThat(r.available()).isTrue();
        r.spend(3100); // 3,000 bytes of debt: about 3 s at 1,000 bytes/s, and a quantum (50 bytes) more
        assertThat(r.available()).isFalse();
        assertThat(r.allowance()).isZero();
        assertThat(r.nanosUntilAvailable()).isBetween(3_000_000_000L, 3_051_000_000L);
    }

    @Test
    void noRateIsNoLimitAndIsRefused() {
        assertThatThrownBy(() -> new ByteRate(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
