package io.krunbox.runtime.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.krunbox.runtime.base.BoxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticElfTest {
    @Test
    void theBuiltInGuestInitIsAStaticElf() {
        assertThat(GuestInit.builtIn().size()).isGreaterThan(1000);
    }

    @Test
    void aDynamicBinaryIsRefusedAsPid1() {
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
