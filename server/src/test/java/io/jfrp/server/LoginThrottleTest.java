package io.jfrp.server;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {

    @Test
    void anAddressIsHeldThenRefusedButAUserIsOnlyEverHeld() throws Exception {
        LoginThrottle<InetAddress> byAddress = LoginThrottle.perAddress();
        LoginThrottle<String> byUser = LoginThrottle.perUser();
        InetAddress guesser = InetAddress.getByName("192.0.2.7");
        long now = 0;
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            byAddress.failed(guesser, now);
            byUser.failed("alice", now);
        }
        assertThat(byAddress.admit(guesser, now)).isZero();
        assertThat(byUser.admit("alice", now)).isZero();
        byAddress.failed(guesser, now);
        byUser.failed("alice", now);
        for (int i = 0; i < LoginThrottle.MAX_HELD; i++) {
            assertThat(byAddress.admit(guesser, now)).isPositive();
        }
        assertThat(byAddress.admit(guesser, now)).isEqualTo(-1);
        // Many addresses naming alice slow her logins down; none is turned away unchecked.
        for (int i = 0; i < 1000; i++) {
            assertThat(byUser.admit("alice", now)).isBetween(1L, LoginThrottle.MAX_DELAY_MILLIS);
        }
        byUser.succeeded("alice");
        assertThat(byUser.admit("alice", now)).isZero();
    }
}
