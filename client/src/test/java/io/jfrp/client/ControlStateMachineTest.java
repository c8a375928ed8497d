package io.jfrp.client;

import io.jfrp.core.config.ReconnectSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The state machine on a simulated clock: minutes of outage in microseconds, every log line counted. */
class ControlStateMachineTest {

    private long now = 1_000_000_000L;
    private final List<String> lines = new ArrayList<>();
    private final ReconnectSettings settings =
            new ReconnectSettings(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, 0.2, 30);
    private final ControlStateMachine m = new ControlStateMachine(settings, () -> now, () -> 0.5, new ControlStateMachine.Log() {
        @Override
        public void info(String line) {
            lines.add("INFO " + line);
        }

        @Override
        public void warn(String line) {
            lines.add("WARN " + line);
        }

        @Override
        public void error(String line) {
            lines.add("ERROR " + line);
        }
    }, "Run `jfrpc doctor -c frpc.toml` for a diagnosis.");

    private void advance(Duration d) {
        now += d.toNanos();
    }

    private long count(String level) {
        return lines.stream().filter(l -> l.startsWith(level)).count();
    }

    @Test
    void durationsInLogLinesHaveOneDecimalAndAPointInEveryLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            assertThat(ControlStateMachine.seconds(0)).isEqualTo("0.0s");
            assertThat(ControlStateMachine.seconds(49_999_999L)).isEqualTo("0.0s");
            assertThat(ControlStateMachine.seconds(50_000_000L)).isEqualTo("0.1s");
            assertThat(ControlStateMachine.seconds(12_345_000_000L)).isEqualTo("12.3s");
            assertThat(ControlStateMachine.seconds(299_960_000_000L)).isEqualTo("300.0s");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void aServerUnreachableForFiveMinutesOpensTheCircuitLogsLittleAndRecovers() {
        m.connected("server:7000", "run-1");
        lines.clear();
        Duration first = m.channelLost("connection reset", false);
        assertThat(first).isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(m.state()).isEqualTo(ClientState.RECONNECTING);
        advance(first);

        int attempts = 0;
        boolean opened = false;
        long start = now;
        while (now - start < Duration.ofMinutes(5).toNanos()) {
            Duration d = m.attemptFailed("cannot connect to server:7000: Connection refused", false);
            attempts++;
            if (m.state() == ClientState.CIRCUIT_OPEN && !opened) {
                opened = true;
                assertThat(now - start).isLessThan(Duration.ofMinutes(1).toNanos());
            }
            if (opened) {
                assertThat(d).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
            }
            advance(d);
        }
        assertThat(m.state()).isEqualTo(ClientState.CIRCUIT_OPEN);
        assertThat(attempts).isGreaterThan(30);
        // No flood: the transition, the first failure, a few summaries, one ERROR when the circuit opened.
        assertThat(count("ERROR")).isEqualTo(1);
        assertThat(lines.stream().filter(l -> l.startsWith("ERROR")).findFirst().orElseThrow())
                .contains("circuit open").contains("Connection refused").contains("jfrpc doctor");
        assertThat(lines.size()).isLessThanOrEqualTo(6);

        m.connected("server:7000", "run-1");
        assertThat(m.state()).isEqualTo(ClientState.CONNECTED);
        assertThat(lines.get(lines.size() - 1)).startsWith("INFO CIRCUIT_OPEN -> CONNECTED").contains("down")
                .contains(attempts + " failed attempts");
        assertThat(m.consecutiveFailures()).isZero();
        assertThat(m.reconnects()).isEqualTo(1);
    }

    @Test
    void duringTheFastPhaseEveryWaitIsAtMostASecondAndTheFirstComesAtOnce() {
        Duration d = m.attemptFailed("refused", false);
        assertThat(d).isEqualTo(Duration.ofMillis(200));
        for (int i = 0; i < 10; i++) {
            advance(d);
            d = m.attemptFailed("refused", false);
            assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(1));
        }
        assertThat(m.state()).isEqualTo(ClientState.CONNECTING);
    }

    @Test
    void aRefusedTokenIsNotRetriedAtFullSpeedAndIsNamed() {
        Duration d = m.attemptFailed("the server refused the login: authentication failed: the client's auth.token "
                + "does not match the server's", true);
        assertThat(d).isEqualTo(Duration.ofSeconds(10));
        assertThat(lines).singleElement().asString().contains("auth.token").contains("retrying slowly");
    }

    @Test
    void summariesComeOncePerMinuteBeforeTheCircuitOpens() {
        ControlStateMachine slow = new ControlStateMachine(
                new ReconnectSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), 1.0, 0.0, 1000),
                () -> now, () -> 0.5, new ControlStateMachine.Log() {
                    public void info(String l) { lines.add(l); }
                    public void warn(String l) { lines.add(l); }
                    public void error(String l) { lines.add(l); }
                }, "");
        for (int i = 0; i < 60; i++) { // five minutes at one attempt per five seconds
            advance(slow.attemptFailed("refused", false));
        }
        assertThat(lines.get(0)).contains("refused; retrying");
        assertThat(lines.stream().filter(l -> l.startsWith("still no session"))).hasSizeBetween(4, 5);
    }

    @Test
    void aDuplicateClientIsNotRaceReplacedAtFullSpeed() {
        m.connected("s", "run-1");
        assertThat(m.channelLost("another jfrpc logged in with this client's runId", true)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void stoppedIsFinal() {
        m.stopped();
        assertThat(m.attemptFailed("x", false)).isZero();
        m.connected("s", "run-1");
        assertThat(m.state()).isEqualTo(ClientState.STOPPED);
    }

    @Test
    void anOutageOfASilentLinkCountsFromWhenTheServerWasLastHeard() {
        m.connected("server:7000", "run-1");
        long lastHeard = now;
        advance(Duration.ofSeconds(9)); // the heartbeat timeout
        m.channelLost("no heartbeat answer from the server for 9000 ms", false, lastHeard);
        advance(Duration.ofMillis(2300));
        m.connected("server:7000", "run-1");
        assertThat(lines.get(lines.size() - 1)).contains("after 11.3s down");
    }
}
