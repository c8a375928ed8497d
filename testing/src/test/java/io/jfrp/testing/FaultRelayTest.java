package io.jfrp.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The relay's faults do what they say, so the resilience tests that rely on them mean something. */
class FaultRelayTest {

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    private static byte[] roundTrip(Socket s, byte[] data) throws IOException {
        s.getOutputStream().write(data);
        return s.getInputStream().readNBytes(data.length);
    }

    @Test
    void passesBytesBothWays() throws Exception {
        try (EchoServer echo = new EchoServer(); FaultRelay relay = new FaultRelay(echo.port()); Socket s = connect(relay.port())) {
            byte[] data = RandomBytes.of(100_000, 1);
            assertThat(roundTrip(s, data)).isEqualTo(data);
        }
    }

    @Test
    void silentHoldsTheSocketButForwardsNothingUntilPassAgain() throws Exception {
        try (EchoServer echo = new EchoServer(); FaultRelay relay = new FaultRelay(echo.port()); Socket s = connect(relay.port())) {
            assertThat(roundTrip(s, new byte[]{1})).containsExactly(1);
            relay.mode(FaultRelay.Mode.SILENT);
            s.setSoTimeout(300);
            s.getOutputStream().write(2);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            relay.mode(FaultRelay.Mode.PASS);
            s.setSoTimeout(5000);
            assertThat(s.getInputStream().read()).isEqualTo(2);
        }
    }

    @Test
    void freezeStopsOldLinksOnlyAndResetClosesThem() throws Exception {
        try (EchoServer echo = new EchoServer(); FaultRelay relay = new FaultRelay(echo.port());
             Socket old = connect(relay.port())) {
            assertThat(roundTrip(old, new byte[]{1})).containsExactly(1);
            relay.freezeExisting();
            try (Socket fresh = connect(relay.port())) {
                assertThat(roundTrip(fresh, new byte[]{3})).containsExactly(3);
            }
            old.setSoTimeout(300);
            old.getOutputStream().write(2);
            assertThatThrownBy(() -> old.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            relay.resetAll();
            old.setSoTimeout(5000);
            InputStream in = old.getInputStream();
            assertThatThrownBy(() -> {
                if (in.read() == -1) {
                    throw new IOException("closed");
                }
            }).isInstanceOf(IOException.class);
        }
    }

    @Test
    void refuseClosesNewConnectionsAtOnce() throws Exception {
        try (EchoServer echo = new EchoServer(); FaultRelay relay = new FaultRelay(echo.port())) {
            relay.mode(FaultRelay.Mode.REFUSE);
            try (Socket s = connect(relay.port())) {
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(echo.accepted()).isZero();
        }
    }

    @Test
    void delayAndThrottleSlowTheLinkDown() throws Exception {
        try (EchoServer echo = new EchoServer(); FaultRelay relay = new FaultRelay(echo.port()); Socket s = connect(relay.port())) {
            relay.delay(100);
            long start = System.nanoTime();
            assertThat(roundTrip(s, new byte[]{9})).containsExactly(9);
            // Both directions pass the relay: at least twice the injected delay.
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(200);
            relay.delay(0);
            relay.throttle(100_000);
            start = System.nanoTime();
            byte[] data = RandomBytes.of(50_000, 2);
            assertThat(roundTrip(s, data)).isEqualTo(data);
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400);
        }
    }
}
