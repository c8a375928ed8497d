package io.jfrp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserAddressTest {

    @Test
    void theTextFormsOfVersion10AreReadAsAddressesWithoutDns() {
        assertThat(UserAddress.parse("/1.2.3.4:5678")).isEqualTo(new InetSocketAddress("1.2.3.4", 5678));
        assertThat(UserAddress.parse("1.2.3.4:5678")).isEqualTo(new InetSocketAddress("1.2.3.4", 5678));
        assertThat(UserAddress.parse("[::1]:80")).isEqualTo(new InetSocketAddress("::1", 80));
        assertThat(UserAddress.parse("/0:0:0:0:0:0:0:1:80")).isEqualTo(new InetSocketAddress("::1", 80));
        InetSocketAddress name = UserAddress.parse("example.org:80");
        assertThat(name.isUnresolved()).as("a name is never looked up").isTrue();
        assertThat(UserAddress.text(name)).isEqualTo("example.org:80");
        assertThat(UserAddress.parse("1.2.3.4:99999").isUnresolved()).isTrue();
        assertThat(UserAddress.parse("")).isSameAs(UserAddress.UNKNOWN);
    }

    @Test
    void textIsWhatAnOperatorExpects() {
        assertThat(UserAddress.text(new InetSocketAddress("198.51.100.9", 443))).isEqualTo("198.51.100.9:443");
        assertThat(UserAddress.text(new InetSocketAddress("2001:db8::7", 443))).isEqualTo("[2001:db8::7]:443");
        assertThat(UserAddress.text(UserAddress.UNKNOWN)).isEqualTo("unknown");
    }

    @Test
    void theBinaryFormKeepsTheAddressExactlyAndRefusesOddLengths() {
        for (InetSocketAddress a : new InetSocketAddress[]{new InetSocketAddress("203.0.113.1", 1),
                new InetSocketAddress("2001:db8::1", 65535), UserAddress.UNKNOWN}) {
            ByteBuf b = Unpooled.buffer();
            UserAddress.write(b, a);
            assertThat(UserAddress.read(b)).isEqualTo(a);
            assertThat(b.readableBytes()).isZero();
        }
        ByteBuf odd = Unpooled.buffer().writeByte(5).writeBytes(new byte[5]).writeShort(80);
        assertThatThrownBy(() -> UserAddress.read(odd)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("5 bytes");
    }
}
