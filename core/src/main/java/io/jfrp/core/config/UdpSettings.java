package io.jfrp.core.config;

import java.time.Duration;

/**
 * The server's UDP proxies: {@code udpPacketSize} (frp's key: the largest datagram read from a user) and
 * {@code udpIdleTimeout} (jfrp's: how long a user address may send and receive nothing before its flow
 * ends; a later datagram starts a new one).
 */
public record UdpSettings(int packetSize, Duration idleTimeout) {

    public static final UdpSettings DEFAULT = new UdpSettings(UdpProxyConfig.DEFAULT_PACKET_SIZE, Duration.ofSeconds(60));

    static UdpSettings read(ConfigSection s) {
        int size = (int) s.integer("udpPacketSize", DEFAULT.packetSize(), 1, 65507);
        Duration idle = s.duration("udpIdleTimeout", DEFAULT.idleTimeout(), Duration.ofMillis(100), false);
        return new UdpSettings(size, idle);
    }
}
