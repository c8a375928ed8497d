package io.jfrp.core.log;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeerTextTest {

    @Test
    void aNewlineCannotForgeALogLine() {
        assertThat(PeerText.escape("host\n2026-12-06 12:00:00.000 INFO  forged"))
                .isEqualTo("host\\n2026-12-06 12:00:00.000 INFO  forged").doesNotContain("\n");
        assertThat(PeerText.escape("a\rb\tc\u0000d\u001be\u2028")).isEqualTo("a\\rb\\tc\\x00d\\x1be\\u2028");
    }

    @Test
    void plainTextIsKeptAsItIs() {
        String s = "my-laptop.example.org";
        assertThat(PeerText.escape(s)).isSameAs(s);
        assertThat(PeerText.escape("ünïcödé 名前")).isEqualTo("ünïcödé 名前");
    }

    @Test
    void aLongTextIsCut() {
        String s = "x".repeat(10_000);
        assertThat(PeerText.escape(s)).hasSize(PeerText.MAX_CHARS + "...(9744 more)".length()).endsWith("...(9744 more)");
    }
}
