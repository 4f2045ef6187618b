package io.krunbox.runtime.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequireTest {
    @AfterEach
    void clear() {
        System.clearProperty("krunbox.require");
    }

    @Test
    void aMissingRequiredPartFailsTheTest() {
        System.setProperty("krunbox.require", "sandbox,libkrun");
        assertThatThrownBy(() -> Require.part("libkrun", false, "libkrun.so.1 is not installed"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("KRUNBOX_REQUIRE names libkrun, but libkrun.so.1 is not installed");
    }

    @Test
    void aMissingOptionalPartSkipsTheTest() {
        System.setProperty("krunbox.require", "sandbox");
        assertThatThrownBy(() -> Require.part("libkrun", false, "libkrun.so.1 is not installed"))
                .isInstanceOf(TestAbortedException.class);
    }
}
