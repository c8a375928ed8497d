package io.jfrp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The address of the user behind a stream, in its two wire forms: text (protocol 1.0, for logs only)
 * and binary (1.1: family, address bytes, port), which the client can hand on exactly, as a PROXY
 * protocol header or an X-Forwarded-For must. Never resolved by DNS: what is not an IP literal stays
 * an unresolved name with port 0.
 */
public final class UserAddress {

    /** What a stream opened by a peer that sent no usable address carries. */
    public static final InetSocketAddress UNKNOWN = InetSocketAddress.createUnresolved("unknown", 0);

    private UserAddress() {
    }

    /** {@code 1.2.3.4:5678}, {@code [::1]:5678}, or the text that came in (protocol 1.0) for an unresolved one. */
    public static String text(InetSocketAddress a) {
        if (a.isUnresolved()) {
            return a.getPort() == 0 ? a.getHostString() : a.getHostString() + ":" + a.getPort();
        }
        return NetUtil.toSocketAddressString(a);
    }

    /**
     * Reads the text form: {@code 1.2.3.4:5678}, {@code /1.2.3.4:5678} (what jfrp 0.1 sent), {@code [::1]:5678};
     * anything else is kept as an unresolved name.
     */
    public static InetSocketAddress parse(String text) {
        String s = text.startsWith("/") ? text.substring(1) : text;
        int colon = s.lastIndexOf(':');
        if (colon > 0) {
            String host = s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
            Integer port = port(s.substring(colon + 1));
            if (ip != null && port != null) {
                return of(ip, port);
            }
        }
        return text.isEmpty() ? UNKNOWN : InetSocketAddress.createUnresolved(text, 0);
    }

    /** The binary form: u8 length of the address (0, 4 or 16), the address, u16 port. */
    public static void write(ByteBuf out, InetSocketAddress a) {
        if (a.isUnresolved() || a.getAddress() == null) {
            out.writeByte(0).writeShort(0);
            return;
        }
        byte[] ip = a.getAddress().getAddress();
        out.writeByte(ip.length).writeBytes(ip).writeShort(a.getPort());
    }

    public static InetSocketAddress read(ByteBuf in) {
        int len = in.readUnsignedByte();
        if (len != 0 && len != 4 && len != 16) {
            throw new ProtocolException("user address of " + len + " bytes (expected 0, 4 or 16)");
        }
        byte[] ip = new byte[len];
        in.readBytes(ip);
        int port = in.readUnsignedShort();
        return len == 0 ? UNKNOWN : of(ip, port);
    }

    private static InetSocketAddress of(byte[] ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // only for a length other than 4 or 16, checked above
        }
    }

    private static Integer port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int p = Integer.parseInt(s);
        return p <= 65535 ? p : null;
    }
}
