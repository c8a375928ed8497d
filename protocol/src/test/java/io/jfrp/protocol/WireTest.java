package io.jfrp.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The words a version mismatch and a peer's missing features are logged in. */
class WireTest {

    @Test
    void theOlderSideIsTheOneToUpgradeAndMissingFeaturesAreNamed() {
        assertThat(Wire.upgradeAdvice(1, 2)).isEqualTo("upgrade jfrps (the older side) to protocol 2.x");
        assertThat(Wire.upgradeAdvice(2, 1)).isEqualTo("upgrade jfrpc (the older side) to protocol 2.x");
        assertThat(Wire.featureNames(Wire.FEATURES & ~Wire.FEATURE_EARLY_DATA))
                .isEqualTo("window offsets (1.1), binary user addresses (1.1)");
        assertThat(Wire.featureNames(1 << 9)).isEqualTo("feature bit 9");
    }
}
