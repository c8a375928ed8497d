package io.jfrp.core.config;

/**
 * {@code type = "udp"}: a public UDP port on the server; each user address is a flow of datagrams to the
 * local service. {@code packetSize} is the client's {@code udpPacketSize}: the largest datagram read
 * from the local service (a longer one is cut, as by frp). {@code proxyProtocol}: "" or "v2", whose header
 * then leads every datagram to the service.
 */
public record UdpProxyConfig(String name, String localIP, int localPort, int remotePort, int packetSize,
                             ProxyLabels labels, String proxyProtocol,
                             ProxyBalancing balancing, ProxyBandwidth bandwidth) implements ProxyConfig {

    public UdpProxyConfig(String name, String localIP, int localPort, int remotePort, int packetSize,
                          ProxyLabels labels, String proxyProtocol, ProxyBalancing balancing) {
        this(name, localIP, localPort, remotePort, packetSize, labels, proxyProtocol, balancing, ProxyBandwidth.NONE);
    }

    public UdpProxyConfig(String name, String localIP, int localPort, int remotePort, int packetSize,
                          ProxyLabels labels, String proxyProtocol) {
        this(name, localIP, localPort, remotePort, packetSize, labels, proxyProtocol, ProxyBalancing.NONE);
    }

    public UdpProxyConfig(String name, String localIP, int localPort, int remotePort, int packetSize) {
        this(name, localIP, localPort, remotePort, packetSize, ProxyLabels.NONE, "");
    }

    /** frp's default {@code udpPacketSize}, on both sides. */
    public static final int DEFAULT_PACKET_SIZE = 1500;

    @Override
    public ProxyType type() {
        return ProxyType.UDP;
    }
}
