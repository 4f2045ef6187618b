package io.krunbox.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The host's reader of guest frames, against well-formed, hostile and random input. */
class FrameReaderTest {
    static byte[] frame(int type, int len, byte[] payload) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeByte(type);
        d.writeInt(len);
        d.write(payload);
        return b.toByteArray();
    }

    static FrameReader reader(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return new FrameReader(new ByteArrayInputStream(all.toByteArray()));
    }

    @Test
    void readsOutputErrorAndTheExitCode() throws Exception {
        FrameReader r = reader(frame('O', 2, "hi".getBytes()), frame('E', 0, new byte[0]), frame('C', 3, "137".getBytes()));
        assertThat(new String(r.next().payload())).isEqualTo("hi");
        assertThat(r.next().type()).isEqualTo('E');
        assertThat(r.next().exitCode()).isEqualTo(137);
        assertThatThrownBy(r::next).isInstanceOf(EOFException.class);
    }

    @Test
    void aNegativeOrOversizedLengthEndsTheSessionWithoutAllocatingIt() {
        assertThatThrownBy(() -> reader(frame('O', -1, new byte[0])).next())
                .isInstanceOf(ExecProtocolException.class).hasMessageContaining("4294967295 bytes");
        assertThatThrownBy(() -> reader(frame('O', Integer.MAX_VALUE, new byte[0])).next())
                .isInstanceOf(ExecProtocolException.class).hasMessageContaining("at most 262144");
    }

    @Test
    void truncatedFramesUnknownTypesAndBadExitCodesAreProtocolErrors() {
        assertThatThrownBy(() -> reader(frame('O', 10, "short".getBytes())).next())
                .isInstanceOf(ExecProtocolException.class).hasMessageContaining("ended inside a frame of 10 bytes");
        assertThatThrownBy(() -> reader(new byte[] {'O', 0, 0}).next())
                .isInstanceOf(ExecProtocolException.class).hasMessageContaining("inside a frame header");
        assertThatThrownBy(() -> reader(frame('X', 0, new byte[0])).next())
                .isInstanceOf(ExecProtocolException.class).hasMessageContaining("unknown type 0x58");
        for (String bad : new String[] {"", "-1", "256", "99999", "1e3", " 1"}) {
            assertThatThrownBy(() -> reader(frame('C', bad.length(), bad.getBytes())).next()).as(bad)
                    .isInstanceOf(ExecProtocolException.class);
        }
    }

    /** Random streams, mostly near-valid: every one gives frames or an IOException, nothing else. */
    @Test
    void randomStreamsGiveFramesOrAnIoExceptionNeverAnotherFailure() throws Exception {
        Random random = new Random(20261201);
        for (int round = 0; round < 20_000; round++) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int frames = random.nextInt(4);
            for (int f = 0; f < frames; f++) {
                int type = random.nextInt(8) == 0 ? random.nextInt(256) : "OEC".charAt(random.nextInt(3));
                int len = switch (random.nextInt(6)) {
                    case 0 -> random.nextInt();
                    case 1 -> FrameReader.MAX_PAYLOAD + random.nextInt(3) - 1;
                    default -> random.nextInt(64);
                };
                byte[] payload = new byte[Math.max(0, Math.min(random.nextInt(80), 80))];
                random.nextBytes(payload);
                if (type == 'C' && random.nextBoolean()) {
                    payload = Integer.toString(random.nextInt(300)).getBytes();
                    len = payload.length;
                }
                b.writeBytes(frame(type, len, payload));
            }
            byte[] stream = b.toByteArray();
            if (stream.length > 0 && random.nextBoolean()) {
                stream = java.util.Arrays.copyOf(stream, random.nextInt(stream.length)); // truncated anywhere
            }
            FrameReader r = new FrameReader(new ByteArrayInputStream(stream));
            try {
                for (int i = 0; i < 10; i++) {
                    FrameReader.Frame fr = r.next();
                    assertThat(fr.payload().length).isLessThanOrEqualTo(FrameReader.MAX_PAYLOAD);
                    if (fr.type() == 'C') {
                        assertThat(fr.exitCode()).isBetween(0, 255);
                    }
                }
            } catch (IOException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }
}
