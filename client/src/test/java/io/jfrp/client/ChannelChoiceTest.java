package io.jfrp.client;

import io.jfrp.core.config.ChannelConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelChoiceTest {

    private final AtomicLong now = new AtomicLong();
    private final ChannelChoice choice = new ChannelChoice(List.of(
            new ChannelConfig("a", "h", 1, "tcp"), new ChannelConfig("b", "h", 2, "websocket"),
            new ChannelConfig("c", "h", 3, "quic")), TimeUnit.SECONDS.toNanos(30), now::get);

    @Test
    void eachFailureHandsOverAtOnceUntilAllFailedThenTheRoundStartsFromTheBest() {
        assertThat(choice.current().name()).isEqualTo("a");
        assertThat(choice.failed()).isTrue();
        assertThat(choice.current().name()).isEqualTo("b");
        assertThat(choice.failed()).isTrue();
        assertThat(choice.current().name()).isEqualTo("c");
        assertThat(choice.failed()).isFalse();
        assertThat(choice.current().name()).isEqualTo("a");
        // A loss on a worse channel goes on down the list, and round again, from there.
        choice.failed();
        choice.loggedIn();
        assertThat(choice.current().name()).isEqualTo("b");
        assertThat(choice.failed()).isTrue();
        assertThat(choice.current().name()).isEqualTo("c");
        assertThat(choice.failed()).isTrue();
        assertThat(choice.current().name()).isEqualTo("a");
        assertThat(choice.failed()).isFalse();
    }

    @Test
    void aBetterChannelTakesTheSessionBackOnlyAfterAnsweringForTheWholeHoldTime() {
        choice.failed();
        choice.failed();
        choice.loggedIn();
        assertThat(choice.current().name()).isEqualTo("c");
        choice.probed(1, true);
        now.addAndGet(TimeUnit.SECONDS.toNanos(20));
        choice.probed(1, true);
        assertThat(choice.moveBack()).isEqualTo(-1);
        // One missed probe starts its time again: a flapping channel never takes the session.
        choice.probed(1, false);
        now.addAndGet(TimeUnit.SECONDS.toNanos(20));
        choice.probed(1, true);
        assertThat(choice.moveBack()).isEqualTo(-1);
        now.addAndGet(TimeUnit.SECONDS.toNanos(30));
        choice.probed(1, true);
        choice.probed(0, true);
        assertThat(choice.moveBack()).isEqualTo(1);
        choice.moveTo(1);
        assertThat(choice.current().name()).isEqualTo("b");
        assertThat(choice.moveBack()).isEqualTo(-1);
    }

    @Test
    void oneChannelNeverHandsOver() {
        ChannelChoice one = new ChannelChoice(List.of(new ChannelConfig("a", "h", 1, "tcp")), 1, now::get);
        assertThat(one.failed()).isFalse();
        assertThat(one.current().name()).isEqualTo("a");
    }
}
