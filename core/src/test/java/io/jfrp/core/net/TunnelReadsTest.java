package io.jfrp.core.net;

import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TunnelReadsTest {

    @Test
    void sharesTheBudgetBetweenOpenChannelsWithinFloorAndCeiling() {
        TunnelReads reads = TunnelReads.sharing(64L << 20);
        assertThat(reads.maxReadFor(1)).isEqualTo(TunnelReads.CEILING);
        assertThat(reads.maxReadFor(64)).isEqualTo(1 << 20);
        assertThat(reads.maxReadFor(256)).isEqualTo(256 << 10);
        assertThat(reads.maxReadFor(100_000)).isEqualTo(TunnelReads.FLOOR);
    }

    @Test
    void aChannelCountsWhileOpenAndReadsUpToItsShare() {
        TunnelReads reads = TunnelReads.sharing(1L << 20);
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        reads.applyTo(first);
        reads.applyTo(second);
        assertThat(reads.open()).isEqualTo(2);
        assertThat(largestRead(first)).isEqualTo(1 << 20);
        assertThat(largestRead(second)).isEqualTo(512 << 10);

        first.close().syncUninterruptibly();
        assertThat(reads.open()).isEqualTo(1);
        EmbeddedChannel third = new EmbeddedChannel();
        reads.applyTo(third);
        assertThat(largestRead(third)).isEqualTo(512 << 10);
        second.close().syncUninterruptibly();
        third.close().syncUninterruptibly();
        assertThat(reads.open()).isZero();
    }

    /** Reports full reads until the channel's read size stops growing, and returns that size. */
    private static int largestRead(EmbeddedChannel ch) {
        RecvByteBufAllocator.Handle handle = ch.config().getRecvByteBufAllocator().newHandle();
        int guess = 0;
        for (int i = 0; i < 64; i++) {
            handle.reset(ch.config());
            guess = handle.guess();
            handle.lastBytesRead(guess);
            handle.readComplete();
        }
        return guess;
    }
}
