package io.krunbox.runtime.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.runtime.base.BoxException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticElfTest {
    private static byte[] builtIn() throws Exception {
        try (InputStream in = GuestInit.class.getResourceAsStream(GuestInit.RESOURCE)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theBuiltInGuestInitIsAStaticElfAndTheCheckSeesWhatIsNot() throws Exception {
        byte[] init = builtIn();
        assertThat(StaticElf.problem(init)).isNull();
        assertThat(GuestInit.builtIn().size()).isEqualTo(init.length);
        // the same bytes cut short, or with the ELF magic broken, are refused
        assertThat(StaticElf.problem(Arrays.copyOf(init, 40))).isNotNull();
        byte[] broken = init.clone();
        broken[1] = 'X';
        assertThat(StaticElf.problem(broken)).isNotNull();
    }

    @Test
    void aDynamicBinaryIsRefusedAsPid1() throws Exception {
        assertThat(StaticElf.problem(Files.readAllBytes(Path.of("/bin/true")))).contains("dynamically linked");
        assertThatThrownBy(() -> GuestInit.fromFile(Path.of("/bin/true")))
                .isInstanceOf(BoxException.class)
                .hasMessage("guest-init /bin/true cannot be a box's PID 1: it is dynamically linked (it asks for a"
                        + " program interpreter); build it static (make -C guest-init, with musl-gcc or gcc -static)");
    }

    @Test
    void aScriptIsRefused(@TempDir Path tmp) throws Exception {
        Path script = Files.writeString(tmp.resolve("init"), "#!/bin/sh\necho hi\n");
        assertThatThrownBy(() -> GuestInit.fromFile(script)).hasMessageContaining("it is not an ELF binary");
    }
}
