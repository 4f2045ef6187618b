package io.krunbox.runtime.isolation.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LibKrunInstallTest {
    @Test
    void theQuickLookAgreesWithTheLinkersCache() {
        for (String soname : new String[] {LibKrunInstall.LIBKRUN, LibKrunInstall.LIBKRUNFW, "libc.so.6",
                "libnot-a-library.so.9"}) {
            assertThat(LibKrunInstall.installed(soname)).as(soname)
                    .isEqualTo(LibKrunInstall.find(soname).isPresent());
        }
        assertThat(LibKrunInstall.installed("libc.so.6")).isTrue();
        assertThat(LibKrunInstall.installed("libnot-a-library.so.9")).isFalse();
    }
}
