package io.jfrp.core.mux;

import io.jfrp.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EarlyFramesTest {

    private static Message.Data data(int n) {
        return new Message.Data(1, Unpooled.buffer(n).writeZero(n));
    }

    @Test
    void keepsDataWithinTheInitialWindowAndReleasesItWhenTheStreamIsRefused() {
        EarlyFrames early = new EarlyFrames(null);
        Message.Data a = data(100);
        Message.Data b = data(156);
        ByteBuf pa = a.payload();
        ByteBuf pb = b.payload();

        assertThat(early.add(a, 256)).isNull();
        assertThat(early.add(b, 256)).isNull();
        assertThat(early.add(new Message.Fin(1), 256)).isNull();
        early.release();

        assertThat(pa.refCnt()).isZero();
        assertThat(pb.refCnt()).isZero();
    }

    @Test
    void dataBeyondTheWindowIsAViolationAndIsReleased() {
        EarlyFrames early = new EarlyFrames(null);
        Message.Data ok = data(200);
        Message.Data over = data(57);
        ByteBuf pOver = over.payload();

        assertThat(early.add(ok, 256)).isNull();
        assertThat(early.add(over, 256)).contains("beyond the initial window of 256");
        assertThat(pOver.refCnt()).isZero();
        early.release();
        assertThat(ok.payload().refCnt()).isZero();
    }

    @Test
    void dataAfterFinIsAViolation() {
        EarlyFrames early = new EarlyFrames(null);
        Message.Data late = data(1);

        assertThat(early.add(new Message.Fin(1), 256)).isNull();
        assertThat(early.add(late, 256)).isEqualTo("data after FIN");
        assertThat(late.payload().refCnt()).isZero();
    }
}
