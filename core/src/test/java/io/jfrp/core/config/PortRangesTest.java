package io.jfrp.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PortRangesTest {

    @Test
    void rangesAreEqualByTheirPortsSoAReloadSeesNoChangeWhereThereIsNone() {
        PortRanges a = new PortRanges(List.of(new int[]{2000, 3000}, new int[]{3001, 3001}));
        PortRanges b = new PortRanges(List.of(new int[]{2000, 3000}, new int[]{3001, 3001}));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new PortRanges(List.of(new int[]{2000, 3000})));
        assertThat(a).isNotEqualTo(new PortRanges(List.of(new int[]{2000, 3000}, new int[]{3001, 3002})));
        assertThat(PortRanges.ALL).isEqualTo(new PortRanges(List.of()));
    }
}
